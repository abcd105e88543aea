package dev.chirp.core.pubsub;

import dev.chirp.core.Chirp;
import java.util.Objects;

/**
 * A chirp on its way to subscribers. Every subscriber that asks for the same
 * {@link Encoding} gets the same object back, so a chirp is rendered once per format, not
 * once per connection. Thread-safe.
 */
public final class Broadcast {

    private final Chirp chirp;
    private final long publishedAt;

    /**
     * Wraps a chirp for publishing, noting the time from {@link System#nanoTime()}.
     *
     * @param chirp the new chirp
     */
    public Broadcast(Chirp chirp) {
        this.chirp = Objects.requireNonNull(chirp, "chirp");
        this.publishedAt = System.nanoTime();
    }

    /**
     * Returns the chirp.
     *
     * @return the chirp
     */
    public Chirp chirp() {
        return chirp;
    }

    /**
     * Returns when the chirp was handed to the broadcaster on this node, for measuring how long
     * it takes to reach connections.
     *
     * @return a {@link System#nanoTime()} reading
     */
    public long publishedAt() {
        return publishedAt;
    }

    /**
     * Returns the chirp in the given format, encoding it only the first time it is asked for.
     *
     * @param encoding the format
     * @param <T> the encoded type
     * @return the shared encoded form
     */
    public <T> T encoded(Encoding<T> encoding) {
        return encoding.encode(chirp);
    }
}
