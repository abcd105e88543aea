package dev.chirp.core.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.chirp.core.Chirp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and atomically replaces the dump file; see the package documentation for the format. */
final class DumpFile {

    static final String FORMAT = "chirp-dump";
    static final int VERSION = 1;

    private static final System.Logger LOG = System.getLogger(DumpFile.class.getName());
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter ASIDE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path path;
    private final Path temporary;
    private final Clock clock;

    DumpFile(Path path, Clock clock) {
        this.path = path.toAbsolutePath().normalize();
        this.temporary = this.path.resolveSibling(this.path.getFileName() + ".tmp");
        this.clock = clock;
    }

    /** What a dump holds: chirps newest first and the highest id ever handed out. */
    record Contents(List<Chirp> chirps, long lastId) {
        static final Contents EMPTY = new Contents(List.of(), 0);
    }

    Path path() {
        return path;
    }

    /**
     * Loads the dump. A missing file is an empty feed; a file that cannot be parsed is moved
     * aside under a time-stamped name, never overwritten, and the feed starts empty.
     *
     * @throws IllegalStateException if the file exists but cannot be read at all, or was
     *     written by a newer version of Chirp
     */
    Contents load() {
        Optional<Contents> unfinished = readUnfinishedWrite();
        Contents loaded = loadDump();
        if (unfinished.isEmpty()) {
            return loaded;
        }
        if (unfinished.get().lastId() <= loaded.lastId()) {
            deleteUnfinishedWrite("it is older than " + path);
            return loaded;
        }
        // A whole, newer write whose rename failed (a read-only dump file, say): it holds the
        // newest chirps, so it becomes the dump rather than being thrown away.
        try {
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.log(System.Logger.Level.WARNING, "Recovered the feed from {0}, a complete dump write whose "
                    + "rename had not happened; it is now {1}", temporary, path);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Loaded the feed from {0}, a complete dump write newer than "
                    + "{1}, but could not rename it ({2}); both files are kept", temporary, path, e.toString());
        }
        return unfinished.get();
    }

    private Contents loadDump() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Contents.EMPTY;
        } catch (AccessDeniedException e) {
            throw new IllegalStateException("cannot read dump file " + path + ": permission denied");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read dump file " + path + ": " + e.getMessage(), e);
        }

        try {
            return parse(bytes);
        } catch (NewerFormatException e) {
            throw new IllegalStateException("dump file " + path + " " + e.getMessage()
                    + "; upgrade Chirp or point --dump-path elsewhere");
        } catch (IOException | RuntimeException e) {
            moveAside(e);
            return Contents.EMPTY;
        }
    }

    /** Replaces the dump with these contents; a crash at any point leaves the old or the new file. */
    void write(Contents contents) throws IOException {
        byte[] bytes = encode(contents);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
    }

    static byte[] encode(Contents contents) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + contents.chirps().size() * 128);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("format", FORMAT);
            json.writeNumberField("version", VERSION);
            json.writeNumberField("lastId", contents.lastId());
            json.writeArrayFieldStart("chirps");
            for (Chirp chirp : contents.chirps()) {
                json.writeStartObject();
                json.writeNumberField("id", chirp.id());
                json.writeStringField("handle", chirp.handle());
                json.writeStringField("text", chirp.text());
                json.writeNumberField("at", chirp.at().getEpochSecond());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    static Contents parse(byte[] bytes) throws IOException {
        rejectNewerVersion(bytes);
        String format = null;
        int version = -1;
        long lastId = -1;
        List<Chirp> chirps = null;
        try (JsonParser json = JSON.createParser(bytes)) {
            expect(json.nextToken(), JsonToken.START_OBJECT, "a JSON object");
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "format" -> format = json.getValueAsString();
                    case "version" -> version = json.getIntValue();
                    case "lastId" -> lastId = json.getLongValue();
                    case "chirps" -> chirps = readChirps(json);
                    default -> json.skipChildren();
                }
            }
            if (json.nextToken() != null) {
                throw new IOException("trailing content after the dump object");
            }
        }
        if (!FORMAT.equals(format)) {
            throw new IOException("not a chirp dump (format is " + format + ")");
        }
        if (version > VERSION) {
            throw new NewerFormatException("has version " + version + "; this Chirp reads version " + VERSION);
        }
        if (version != VERSION || chirps == null || lastId < 0) {
            throw new IOException("dump is missing its version, lastId or chirps");
        }
        checkOrder(chirps, lastId);
        return new Contents(List.copyOf(chirps), lastId);
    }

    /**
     * Reads only the top-level format and version, before anything else, so that a newer dump
     * whose other fields changed shape is refused rather than taken for a corrupt one.
     */
    private static void rejectNewerVersion(byte[] bytes) throws NewerFormatException {
        String format = null;
        int version = -1;
        try (JsonParser json = JSON.createParser(bytes)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if (field.equals("format") && value == JsonToken.VALUE_STRING) {
                    format = json.getText();
                } else if (field.equals("version") && value == JsonToken.VALUE_NUMBER_INT) {
                    version = json.getIntValue();
                } else {
                    json.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Whatever was read before the damage still counts; the full parse reports the damage.
        }
        if (FORMAT.equals(format) && version > VERSION) {
            throw new NewerFormatException("has version " + version + "; this Chirp reads version " + VERSION);
        }
    }

    private static List<Chirp> readChirps(JsonParser json) throws IOException {
        expect(json.currentToken(), JsonToken.START_ARRAY, "an array of chirps");
        List<Chirp> chirps = new ArrayList<>();
        while (json.nextToken() == JsonToken.START_OBJECT) {
            long id = 0;
            long at = -1;
            String handle = null;
            String text = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "id" -> id = json.getLongValue();
                    case "handle" -> handle = json.getValueAsString();
                    case "text" -> text = json.getValueAsString();
                    case "at" -> at = json.getLongValue();
                    default -> json.skipChildren();
                }
            }
            if (handle == null || text == null || at < 0) {
                throw new IOException("chirp " + id + " lacks a handle, text or time");
            }
            chirps.add(new Chirp(id, handle, text, Instant.ofEpochSecond(at)));
        }
        expect(json.currentToken(), JsonToken.END_ARRAY, "the end of the chirps array");
        return chirps;
    }

    private static void checkOrder(List<Chirp> chirps, long lastId) throws IOException {
        long previous = Long.MAX_VALUE;
        for (Chirp chirp : chirps) {
            if (chirp.id() >= previous) {
                throw new IOException("chirps are not newest first at id " + chirp.id());
            }
            previous = chirp.id();
        }
        if (!chirps.isEmpty() && chirps.get(0).id() > lastId) {
            throw new IOException("lastId " + lastId + " is below chirp id " + chirps.get(0).id());
        }
    }

    private static void expect(JsonToken actual, JsonToken wanted, String what) throws IOException {
        if (actual != wanted) {
            throw new IOException("expected " + what + " but found " + actual);
        }
    }

    /** Reads a temporary file left by an earlier run, if it holds a whole dump; else removes it. */
    private Optional<Contents> readUnfinishedWrite() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(temporary);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            deleteUnfinishedWrite("it cannot be read: " + e.getMessage());
            return Optional.empty();
        }
        try {
            return Optional.of(parse(bytes));
        } catch (IOException | RuntimeException e) {
            deleteUnfinishedWrite("the write did not finish");
            return Optional.empty();
        }
    }

    private void deleteUnfinishedWrite(String why) {
        try {
            Files.deleteIfExists(temporary);
            LOG.log(System.Logger.Level.WARNING, "Removed {0}, left by an earlier dump write, because {1}; "
                    + "{2} is intact", temporary, why, path);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not remove unfinished dump write {0}: {1}",
                    temporary, e.getMessage());
        }
    }

    private void moveAside(Exception cause) {
        String stamp = ASIDE_STAMP.format(clock.instant());
        Path aside = path.resolveSibling(path.getFileName() + ".corrupt-" + stamp);
        for (int n = 2; Files.exists(aside); n++) {
            aside = path.resolveSibling(path.getFileName() + ".corrupt-" + stamp + "-" + n);
        }
        try {
            Files.move(path, aside);
        } catch (IOException e) {
            throw new IllegalStateException("dump file " + path + " cannot be read (" + cause.getMessage()
                    + ") and could not be moved aside to " + aside + ": " + e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.ERROR,
                "Dump file {0} could not be read ({1}); moved it to {2} and started with an empty feed. "
                + "To bring those chirps back, repair that file, stop Chirp and rename it to {0}",
                path, cause.getMessage(), aside);
    }

    private void forceDirectory() {
        // Makes the rename itself durable. Some platforms cannot open a directory; the rename
        // is still atomic there, only its durability depends on the file system.
        try (FileChannel directory = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not force directory {0}: {1}", path.getParent(), e);
        }
    }

    /** A dump from a newer Chirp: not corrupt, so it must not be moved aside. */
    private static final class NewerFormatException extends IOException {
        private static final long serialVersionUID = 1L;

        NewerFormatException(String message) {
            super(message);
        }
    }
}
