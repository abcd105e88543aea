package dev.chirp.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One post in the feed.
 *
 * <p>Ids are positive, strictly increasing in feed order and never reused, also across
 * restarts and clears, so a client can ask for "everything after id X".
 *
 * @param id the feed-wide id, greater than zero
 * @param handle who posted it, as the server decided
 * @param text what was posted, already normalized by the guard
 * @param at when the server accepted it, to the second
 */
public record Chirp(long id, String handle, String text, Instant at) {

    /**
     * Checks the parts.
     *
     * @param id the feed-wide id, greater than zero
     * @param handle who posted it, as the server decided
     * @param text what was posted, already normalized by the guard
     * @param at when the server accepted it, to the second
     * @throws IllegalArgumentException if {@code id} is not positive
     */
    public Chirp {
        if (id <= 0) {
            throw new IllegalArgumentException("chirp id must be positive, got " + id);
        }
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(at, "at");
    }
}
