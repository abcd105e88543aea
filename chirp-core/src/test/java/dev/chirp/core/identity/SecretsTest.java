package dev.chirp.core.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    @TempDir
    Path folder;

    @Test
    void loadOrCreateWritesANewSecretOnceAndReadsItBackAfterwards() {
        Path file = folder.resolve("chirps.dump.secret");

        byte[] first = Secrets.loadOrCreate(file);
        byte[] second = Secrets.loadOrCreate(file);

        assertTrue(Files.exists(file), "the secret file was created");
        assertTrue(first.length >= 32, "a 32-byte secret written as text: " + first.length + " bytes");
        assertArrayEquals(first, second, "the same secret after a restart");
    }

    @Test
    void aNewSecretFileIsReadableByItsOwnerOnly() throws Exception {
        Path file = folder.resolve("chirps.dump.secret");

        Secrets.loadOrCreate(file);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void twoNewSecretsDiffer() {
        byte[] one = Secrets.loadOrCreate(folder.resolve("one"));
        byte[] other = Secrets.loadOrCreate(folder.resolve("other"));

        assertFalse(Arrays.equals(one, other), "secrets are random");
    }

    @Test
    void anExistingFileIsReadWithoutItsSurroundingWhiteSpace() throws Exception {
        Path file = Files.writeString(folder.resolve("given"), "  correct horse battery staple\n");

        byte[] secret = Secrets.loadOrCreate(file);

        assertArrayEquals("correct horse battery staple".getBytes(StandardCharsets.UTF_8), secret);
    }

    @Test
    void aFileWithTooShortASecretIsRefusedNamingIt() throws Exception {
        Path file = Files.writeString(folder.resolve("short"), "tiny\n");

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Secrets.loadOrCreate(file));

        assertEquals("secret file " + file + " holds 4 bytes; a secret needs at least 16"
                + " (such as the output of: openssl rand -base64 32)", thrown.getMessage());
    }

    @Test
    void aFileInAMissingFolderIsAnErrorNamingIt() {
        Path file = folder.resolve("missing").resolve("secret");

        Exception thrown = assertThrows(java.io.UncheckedIOException.class, () -> Secrets.loadOrCreate(file));

        assertTrue(thrown.getMessage().startsWith("cannot read or create the secret file " + file),
                thrown.getMessage());
    }
}
