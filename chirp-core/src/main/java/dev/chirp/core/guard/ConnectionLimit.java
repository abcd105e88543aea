package dev.chirp.core.guard;

import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open live connections (event streams and sockets, over every transport) against a
 * ceiling, so that a flood of clients gets a clear refusal instead of exhausting the
 * process's open files. Thread-safe.
 */
public final class ConnectionLimit {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    private ConnectionLimit(int max) {
        this.max = max;
    }

    /**
     * Returns a limit of {@code max} open connections.
     *
     * @param max at least 1
     * @return the limit
     * @throws IllegalArgumentException if {@code max} is below 1
     */
    public static ConnectionLimit of(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max connections must be at least 1, got " + max);
        }
        return new ConnectionLimit(max);
    }

    /**
     * Returns a counter without a ceiling.
     *
     * @return the counter
     */
    public static ConnectionLimit unlimited() {
        return new ConnectionLimit(Integer.MAX_VALUE);
    }

    /**
     * Counts a new connection if there is room.
     *
     * @return whether the connection may open; if so, {@link #release()} it when it closes
     */
    public boolean tryAcquire() {
        while (true) {
            int current = open.get();
            if (current >= max) {
                return false;
            }
            if (open.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Counts a connection as closed. */
    public void release() {
        open.decrementAndGet();
    }

    /**
     * Returns how many connections are open.
     *
     * @return the count
     */
    public int open() {
        return open.get();
    }

    /**
     * Returns the ceiling.
     *
     * @return the most connections allowed, or empty if unlimited
     */
    public OptionalInt max() {
        return max == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(max);
    }

    /**
     * Returns the message for a refused client.
     *
     * @return one sentence a person understands
     */
    public String refusal() {
        return "Chirp is serving as many live connections as it can (" + max + "); try again in a moment.";
    }
}
