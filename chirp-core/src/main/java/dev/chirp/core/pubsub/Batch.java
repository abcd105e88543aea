package dev.chirp.core.pubsub;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * The chirps one round of a {@link Lane} hands to its members, oldest first, with each
 * format's bytes for the whole round joined once so that every connection sends them in one
 * write. Used only on the lane's thread.
 */
public final class Batch {

    private final Broadcast[] broadcasts;
    /** The formats asked for so far; rounds rarely see more than two. */
    private Encoding<?>[] encodings = new Encoding<?>[2];
    private ByteBuffer[] joined = new ByteBuffer[2];
    private int[][] offsets = new int[2][];
    private int formats;

    Batch(List<Broadcast> oldestFirst) {
        if (oldestFirst.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one chirp");
        }
        this.broadcasts = oldestFirst.toArray(new Broadcast[0]);
    }

    /**
     * Returns how many chirps the batch holds.
     *
     * @return at least 1
     */
    public int size() {
        return broadcasts.length;
    }

    /**
     * Returns one chirp of the batch.
     *
     * @param index 0 for the oldest
     * @return the chirp and its encodings
     */
    public Broadcast get(int index) {
        return broadcasts[index];
    }

    /**
     * Returns the id of the newest chirp in the batch.
     *
     * @return the last chirp's id
     */
    public long lastId() {
        return broadcasts[broadcasts.length - 1].chirp().id();
    }

    /**
     * Returns the index of the first chirp newer than {@code id}, or {@link #size()} if the
     * batch holds none.
     *
     * @param id the newest chirp a connection already has
     * @return where the connection's new chirps begin
     */
    public int firstAfter(long id) {
        int index = 0;
        while (index < broadcasts.length && broadcasts[index].chirp().id() <= id) {
            index++;
        }
        return index;
    }

    /**
     * Returns every chirp of the batch in one format, joined. The buffer is shared by every
     * member of the lane: set its position and limit before each use, with
     * {@link #start(Encoding, int)} and {@link ByteBuffer#capacity()}, and never write into it.
     *
     * @param encoding the format
     * @return the joined bytes, oldest chirp first
     */
    public ByteBuffer joined(Encoding<ByteBuffer> encoding) {
        return joined[formatIndex(encoding)];
    }

    /**
     * Returns where a chirp begins in {@link #joined(Encoding)}.
     *
     * @param encoding the format
     * @param index the chirp's index in the batch; {@link #size()} gives the end
     * @return a byte offset
     */
    public int start(Encoding<ByteBuffer> encoding, int index) {
        return offsets[formatIndex(encoding)][index];
    }

    private int formatIndex(Encoding<ByteBuffer> encoding) {
        Objects.requireNonNull(encoding, "encoding");
        for (int i = 0; i < formats; i++) {
            if (encodings[i] == encoding) {
                return i;
            }
        }
        return join(encoding);
    }

    private int join(Encoding<ByteBuffer> encoding) {
        if (formats == encodings.length) {
            encodings = java.util.Arrays.copyOf(encodings, formats * 2);
            joined = java.util.Arrays.copyOf(joined, formats * 2);
            offsets = java.util.Arrays.copyOf(offsets, formats * 2);
        }
        ByteBuffer[] parts = new ByteBuffer[broadcasts.length];
        int[] starts = new int[broadcasts.length + 1];
        for (int i = 0; i < broadcasts.length; i++) {
            parts[i] = broadcasts[i].encoded(encoding).duplicate();
            starts[i + 1] = starts[i] + parts[i].remaining();
        }
        // Direct, so that a write to a socket copies the bytes once, straight from here.
        ByteBuffer all = ByteBuffer.allocateDirect(starts[broadcasts.length]);
        for (ByteBuffer part : parts) {
            all.put(part);
        }
        all.flip();
        int index = formats++;
        encodings[index] = encoding;
        joined[index] = all;
        offsets[index] = starts;
        return index;
    }
}
