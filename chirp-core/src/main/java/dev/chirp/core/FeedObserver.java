package dev.chirp.core;

import dev.chirp.core.guard.Verdict;
import java.time.Duration;
import java.util.Locale;

/**
 * Hears what happens to the feed, for metrics: chirps stored and refused, how long a published
 * chirp took to reach each connection, and how long the dump took to write. Every method does
 * nothing by default, and {@link #NONE} is the observer that hears nothing.
 *
 * <p>Methods are called on the threads that do the work, some of them once per connection per
 * chirp: an implementation must be thread-safe, must not block, and should neither allocate nor
 * lock in {@link #delivered(String, long)}.
 */
public interface FeedObserver {

    /** The observer that ignores everything. */
    FeedObserver NONE = new FeedObserver() {
    };

    /**
     * Notes that a chirp is in the feed. Called on the timeline's writer thread.
     *
     * @param chirp the stored chirp
     */
    default void stored(Chirp chirp) {
    }

    /**
     * Notes that an attempt to post was refused.
     *
     * @param reason why
     */
    default void rejected(Rejection reason) {
    }

    /**
     * Notes that a live chirp was handed to a connection's write, and how long after it was
     * published. A transport may report only some deliveries, such as the oldest chirp of each
     * write that carries several.
     *
     * @param transport a short constant naming the transport, such as {@code sse} or {@code ws}
     * @param nanos the time from publishing to the hand-off, in nanoseconds
     */
    default void delivered(String transport, long nanos) {
    }

    /**
     * Notes one write of the dump file, including forcing it to disk.
     *
     * @param took how long it took
     * @param succeeded whether the dump was written
     */
    default void flushed(Duration took, boolean succeeded) {
    }

    /**
     * Notes one append to the journal, including forcing it to disk: a group commit of one or
     * more writes. Called on the timeline's writer thread.
     *
     * @param took how long the append and the force took
     * @param writes how many posts and clears it carried
     */
    default void journaled(Duration took, int writes) {
    }

    /** Why a post was refused, as a metric label: {@link #label()}. */
    enum Rejection {
        /** Nothing visible was left after normalization. */
        BLANK,
        /** Longer than the limit, in code points. */
        TOO_LONG,
        /** The client posted too often. */
        RATE_LIMITED,
        /** The request body was over the size limit. */
        TOO_LARGE,
        /** The body could not be read as the expected form or JSON. */
        MALFORMED,
        /** The body came with a content type the route does not take. */
        UNSUPPORTED_TYPE,
        /** The request came from another site's page. */
        CROSS_SITE,
        /** The feed could not store it, as while shutting down. */
        UNAVAILABLE;

        /**
         * Returns the refusal for a guard's verdict.
         *
         * @param reason the guard's reason
         * @return the matching refusal
         */
        public static Rejection of(Verdict.Reason reason) {
            return switch (reason) {
                case BLANK -> BLANK;
                case TOO_LONG -> TOO_LONG;
                case RATE_LIMITED -> RATE_LIMITED;
            };
        }

        /**
         * Returns the name in lower case, as used in metric labels: {@code too_long}.
         *
         * @return the label value
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
