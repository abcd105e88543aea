package dev.chirp.core.guard;

import dev.chirp.core.Durations;
import java.time.Duration;

/**
 * At most {@code chirps} posts per client in each window of length {@code window}.
 *
 * @param chirps posts allowed per window, at least 1
 * @param window the window length, positive
 */
public record RateLimit(int chirps, Duration window) {

    /** The default: 5 chirps per 10 seconds. */
    public static final RateLimit DEFAULT = new RateLimit(5, Duration.ofSeconds(10));

    /**
     * Checks the parts.
     *
     * @param chirps posts allowed per window, at least 1
     * @param window the window length, positive
     * @throws IllegalArgumentException if either part is out of range
     */
    public RateLimit {
        if (chirps < 1) {
            throw new IllegalArgumentException("rate limit must allow at least 1 chirp, got " + chirps);
        }
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("rate limit window must be positive, got " + window);
        }
    }

    /**
     * Parses {@code N/DURATION} such as {@code 5/10s}, {@code 30/1m} or {@code 100/500ms}.
     *
     * @param text the limit as written on a command line
     * @return the limit
     * @throws IllegalArgumentException if the text has another shape
     */
    public static RateLimit parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("rate limit '" + text + "' should look like 5/10s");
        }
        int chirps;
        try {
            chirps = Integer.parseInt(text.substring(0, slash).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rate limit '" + text + "' should start with a whole number");
        }
        return new RateLimit(chirps, Durations.parse(text.substring(slash + 1).trim()));
    }

    @Override
    public String toString() {
        return chirps + "/" + Durations.format(window);
    }
}
