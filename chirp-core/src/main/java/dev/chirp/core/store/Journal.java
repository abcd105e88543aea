package dev.chirp.core.store;

import dev.chirp.core.Chirp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The write-ahead journal beside the dump: every chirp and clear since the last snapshot, each
 * forced to disk before it is acknowledged. See the package documentation for the format.
 * Used by the timeline's writer thread only.
 *
 * <p>The file is kept zero-filled for {@link #PREALLOCATION} bytes ahead of its last record.
 * Forcing an append that grows a file also commits the file system's metadata for its new
 * size; an append inside space already written costs only its data, which makes each group
 * commit markedly cheaper. The zeros are real writes, not a reservation: a reserved but
 * unwritten extent would need a metadata change when first written, which is the cost avoided.
 */
final class Journal implements AutoCloseable {

    static final byte[] MAGIC = "chirp-journal 1\n".getBytes(StandardCharsets.US_ASCII);
    /** A record's length and checksum, before its payload. */
    static final int RECORD_HEADER = 8;
    /** Far above any chirp the guard lets through; a longer length field is damage. */
    static final int MAX_PAYLOAD = 1 << 20;

    private static final byte CHIRP = 1;
    private static final byte CLEAR = 2;
    private static final int CHIRP_FIXED = 1 + 8 + 8 + 2;
    private static final int CLEAR_SIZE = 1 + 8;
    /** How far ahead of the last record the file is kept zero-filled, in bytes. */
    static final int PREALLOCATION = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

    private final Path path;
    private final FileChannel channel;
    /** Where the next record goes: everything before it is whole. */
    private long end;
    /** The file's length: from {@link #end} on, zeros written ahead of the records. */
    private long length;
    /** Whether a failed cut may have left bytes after {@link #end} that are not zeros. */
    private boolean tailUncertain;

    private Journal(Path path, FileChannel channel, long end) {
        this.path = path;
        this.channel = channel;
        this.end = end;
        this.length = end;
    }

    /**
     * Opens the journal for appending after its first {@code validEnd} bytes, cutting off
     * anything beyond them, or creates it when {@code validEnd} is 0.
     */
    static Journal open(Path path, long validEnd) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            long end = validEnd;
            boolean fresh = end < MAGIC.length;
            if (fresh) {
                channel.truncate(0);
                writeFully(channel, ByteBuffer.wrap(MAGIC), 0);
                end = MAGIC.length;
            }
            if (channel.size() > end) {
                channel.truncate(end);
            }
            channel.force(true);
            if (fresh) {
                forceDirectory(path.getParent());
            }
            return new Journal(path, channel, end);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    Path path() {
        return path;
    }

    /** Returns whether nothing has been appended since the journal was created or reset. */
    boolean isEmpty() {
        return end <= MAGIC.length;
    }

    /**
     * Appends encoded records and forces them to disk. On failure the file is cut back to where
     * they began, as far as the disk allows, so the next append does not follow a partial record.
     */
    void append(ByteBuffer records) throws IOException {
        long start = end;
        long after = start + records.remaining();
        try {
            if (tailUncertain) {
                // A cut that failed after an earlier failed append.
                cut(start);
            }
            preallocate(after);
            writeFully(channel, records, start);
            channel.force(false);
            end = after;
            length = Math.max(length, after);
        } catch (IOException e) {
            try {
                cut(start);
            } catch (IOException ignored) {
                // Limitation: if even the cut fails, records that were written whole stay on disk
                // and come back after a crash although their posts were refused; their ids are
                // never reused, so they appear once and in order. The cut is tried again before
                // the next append, which starts at start regardless.
            }
            throw e;
        }
    }

    /** Writes and forces a few bytes past the end, then cuts them off: tells whether there is room again. */
    void probe() throws IOException {
        try {
            writeFully(channel, ByteBuffer.allocate(4096), Math.max(end, length));
            channel.force(false);
        } finally {
            cut(end);
        }
    }

    /** Empties the journal once a snapshot holds everything in it. */
    void reset() throws IOException {
        cut(MAGIC.length);
        // Set before the force: should the force fail, the next append must still go right
        // after the header, not past a hole that would read back as the journal's end.
        end = MAGIC.length;
        channel.force(true);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Adds a chirp record to {@code out}, which must have room: see {@link #size(Chirp)}. */
    static void encode(Chirp chirp, ByteBuffer out) {
        byte[] handle = chirp.handle().getBytes(StandardCharsets.UTF_8);
        byte[] text = chirp.text().getBytes(StandardCharsets.UTF_8);
        if (handle.length > 0xFFFF || CHIRP_FIXED + handle.length + text.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("chirp " + chirp.id() + " is too large for the journal");
        }
        ByteBuffer payload = ByteBuffer.allocate(CHIRP_FIXED + handle.length + text.length)
                .put(CHIRP)
                .putLong(chirp.id())
                .putLong(chirp.at().getEpochSecond())
                .putShort((short) handle.length)
                .put(handle)
                .put(text)
                .flip();
        frame(payload, out);
    }

    /** Adds a clear record to {@code out}; {@code lastId} is the highest id handed out before it. */
    static void encodeClear(long lastId, ByteBuffer out) {
        frame(ByteBuffer.allocate(CLEAR_SIZE).put(CLEAR).putLong(lastId).flip(), out);
    }

    /** Returns an upper bound of the bytes {@link #encode(Chirp, ByteBuffer)} adds. */
    static int size(Chirp chirp) {
        return RECORD_HEADER + CHIRP_FIXED + 3 * (chirp.handle().length() + chirp.text().length());
    }

    /** Returns the bytes {@link #encodeClear(long, ByteBuffer)} adds. */
    static int clearSize() {
        return RECORD_HEADER + CLEAR_SIZE;
    }

    private static void frame(ByteBuffer payload, ByteBuffer out) {
        CRC32C crc = new CRC32C();
        crc.update(payload.duplicate());
        out.putInt(payload.remaining()).putInt((int) crc.getValue()).put(payload);
    }

    /** Writes zeros ahead of the records so that the file holds at least {@code needed} bytes. */
    private void preallocate(long needed) throws IOException {
        if (needed <= length) {
            return;
        }
        long target = needed + PREALLOCATION;
        try {
            for (long at = length; at < target; ) {
                ByteBuffer zeros = ZEROS.duplicate();
                zeros.limit((int) Math.min(zeros.capacity(), target - at));
                at += channel.write(zeros, at);
            }
            length = target;
        } catch (IOException e) {
            // A nearly full disk: append without room ahead, the file growing with each write.
            cut(end);
        }
    }

    /** Cuts the file to {@code size} bytes, remembering whether it is known to have worked. */
    private void cut(long size) throws IOException {
        tailUncertain = true;
        channel.truncate(size);
        length = size;
        tailUncertain = false;
    }

    private static void forceDirectory(Path folder) {
        // Makes the new file's name durable; where a directory cannot be opened, only the
        // file system's own ordering protects it.
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            System.getLogger(Journal.class.getName()).log(System.Logger.Level.DEBUG,
                    "Could not force directory {0}: {1}", folder, e);
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long at) throws IOException {
        long position = at;
        while (bytes.hasRemaining()) {
            position += channel.write(bytes, position);
        }
    }

    /** One entry read back from the journal. */
    sealed interface Entry permits Posted, Cleared {
    }

    /** A chirp that was acknowledged. */
    record Posted(Chirp chirp) implements Entry {
    }

    /** A clear, after which every chirp up to {@code lastId} was gone. */
    record Cleared(long lastId) implements Entry {
    }

    /**
     * What a journal holds.
     *
     * @param entries the whole records, in the order they were written
     * @param validEnd the length of the file up to the last whole record, or of its header
     * @param tornBytes the bytes after {@code validEnd} that an interrupted append left behind,
     *     up to the last byte that is not zero; the zeros written ahead of the records are not
     *     counted
     * @param damaged the records (or, for a damaged header, the file) that failed their checks
     *     with whole records after them: not the work of an interrupted append
     * @param firstDamageAt the byte offset of the first damage, or -1
     */
    record Contents(List<Entry> entries, long validEnd, long tornBytes, int damaged, long firstDamageAt) {
        static final Contents EMPTY = new Contents(List.of(), 0, 0, 0, -1);
    }

    /**
     * Reads a journal's bytes. Damage (a record that fails its checks with whole records
     * after it) is stepped over by searching, byte by byte, for the next place where a whole
     * record passes its checksum, so a damaged length field loses only its own record. Zeros
     * where a record would start mark the end: the file is zero-filled ahead of its records.
     * What an interrupted append leaves at the end (a cut record, a last record whose checksum
     * fails with nothing but zeros after it) is counted as torn, not damaged.
     */
    static Contents read(byte[] bytes) {
        if (bytes.length < MAGIC.length) {
            boolean prefix = Arrays.equals(bytes, 0, bytes.length, MAGIC, 0, bytes.length);
            return prefix || isZeros(bytes, 0)
                    ? new Contents(List.of(), 0, bytes.length, 0, -1)
                    : new Contents(List.of(), 0, 0, 1, 0);
        }
        if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return new Contents(List.of(), 0, 0, 1, 0);
        }

        List<Entry> entries = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int position = MAGIC.length;
        int validEnd = position;
        int damaged = 0;
        long firstDamageAt = -1;
        while (position < bytes.length) {
            if (bytes.length - position < RECORD_HEADER || isZeros(bytes, position)) {
                break;
            }
            Entry entry = recordAt(bytes, in, position);
            if (entry != null) {
                entries.add(entry);
                position = end(in, position);
                validEnd = position;
                continue;
            }
            int resumeAt = nextRecord(bytes, in, position + 1);
            if (resumeAt < 0) {
                // Nothing whole follows. A record that reaches the zeros or the end of the
                // file, or is cut short by it, is what an interrupted append leaves; anything
                // else is damage.
                int length = in.getInt(position);
                boolean plausible = length >= CLEAR_SIZE && length <= MAX_PAYLOAD;
                if (!plausible || (long) position + RECORD_HEADER + length < contentEnd(bytes)) {
                    damaged++;
                    firstDamageAt = firstDamageAt < 0 ? position : firstDamageAt;
                    validEnd = bytes.length;
                }
                break;
            }
            damaged++;
            firstDamageAt = firstDamageAt < 0 ? position : firstDamageAt;
            position = resumeAt;
        }
        long torn = Math.max(0, contentEnd(bytes) - validEnd);
        return new Contents(entries, validEnd, torn, damaged, firstDamageAt);
    }

    /** Returns the length of {@code bytes} without its trailing zeros. */
    private static int contentEnd(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return end;
    }

    /** Returns the whole, checksummed record at {@code position}, or null if there is none. */
    private static Entry recordAt(byte[] bytes, ByteBuffer in, int position) {
        if (bytes.length - position < RECORD_HEADER) {
            return null;
        }
        int length = in.getInt(position);
        if (length < CLEAR_SIZE || length > MAX_PAYLOAD || length > bytes.length - position - RECORD_HEADER) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, position + RECORD_HEADER, length);
        return (int) crc.getValue() == in.getInt(position + 4)
                ? decode(in.slice(position + RECORD_HEADER, length))
                : null;
    }

    private static int end(ByteBuffer in, int position) {
        return position + RECORD_HEADER + in.getInt(position);
    }

    /** Finds the first offset from {@code from} where a whole record passes its checks, or -1. */
    private static int nextRecord(byte[] bytes, ByteBuffer in, int from) {
        for (int candidate = from; candidate <= bytes.length - RECORD_HEADER; candidate++) {
            if (recordAt(bytes, in, candidate) != null) {
                return candidate;
            }
        }
        return -1;
    }

    private static Entry decode(ByteBuffer payload) {
        try {
            byte type = payload.get();
            if (type == CLEAR && payload.remaining() == 8) {
                return new Cleared(payload.getLong());
            }
            if (type != CHIRP) {
                return null;
            }
            long id = payload.getLong();
            long at = payload.getLong();
            byte[] handle = new byte[Short.toUnsignedInt(payload.getShort())];
            payload.get(handle);
            byte[] text = new byte[payload.remaining()];
            payload.get(text);
            return new Posted(new Chirp(id, new String(handle, StandardCharsets.UTF_8),
                    new String(text, StandardCharsets.UTF_8), Instant.ofEpochSecond(at)));
        } catch (RuntimeException e) {
            // A record whose checksum matched but whose fields do not fit: treated as damage.
            return null;
        }
    }

    private static boolean isZeros(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
