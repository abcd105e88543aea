package dev.chirp.core.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets that sign identity cookies: random ones, ones given as text, and ones kept in a
 * file that is created once, readable by its owner only, so that handles survive restarts.
 */
public final class Secrets {

    private static final int RANDOM_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /**
     * Returns 32 fresh random bytes.
     *
     * @return a new secret
     */
    public static byte[] random() {
        byte[] secret = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /**
     * Returns the secret a piece of text stands for: its UTF-8 bytes, without surrounding
     * white space.
     *
     * @param text the secret as written, such as in an environment variable
     * @param source where the text came from, for the error message
     * @return the secret
     * @throws IllegalArgumentException if fewer than {@value Identity#MIN_SECRET_BYTES} bytes are left
     */
    public static byte[] fromText(String text, String source) {
        byte[] secret = text.strip().getBytes(StandardCharsets.UTF_8);
        if (secret.length < Identity.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(source + " holds " + secret.length + " bytes; a secret needs at least "
                    + Identity.MIN_SECRET_BYTES + " (such as the output of: openssl rand -base64 32)");
        }
        return secret;
    }

    /**
     * Reads the secret kept in a file, first writing a new random one (base64url text) if the
     * file does not exist. A new file is readable and writable by its owner only where the
     * file system supports POSIX permissions.
     *
     * @param file the secret's file; its folder must exist
     * @return the secret: the file's text, without surrounding white space, as UTF-8 bytes
     * @throws UncheckedIOException if the file can be neither read nor created
     * @throws IllegalArgumentException if the file holds fewer than {@value Identity#MIN_SECRET_BYTES} bytes
     */
    public static byte[] loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return fromText(Files.readString(file, StandardCharsets.UTF_8), "secret file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void create(Path file) throws IOException {
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(random()) + "\n";
        boolean posix = file.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        try {
            // Created with its permissions in one step, so it is never readable by others.
            Files.write(Files.createFile(file, ownerOnly), text.getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        } catch (FileAlreadyExistsException e) {
            // Another process created it first; reading it is what we want anyway.
        }
    }
}
