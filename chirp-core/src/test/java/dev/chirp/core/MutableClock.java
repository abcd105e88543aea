package dev.chirp.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC clock that stands still until a test moves it, forwards or backwards. Thread-safe. */
public final class MutableClock extends Clock {

    private volatile Instant now;

    private MutableClock(Instant now) {
        this.now = now;
    }

    /**
     * Returns a clock showing the given time.
     *
     * @param text an instant such as {@code 2025-12-03T17:25:17.123Z}
     * @return the clock
     */
    public static MutableClock at(String text) {
        return new MutableClock(Instant.parse(text));
    }

    /**
     * Moves the clock by a duration, which may be negative.
     *
     * @param amount how far to move
     */
    public void advance(Duration amount) {
        now = now.plus(amount);
    }

    /**
     * Sets the clock to a time, earlier or later than now.
     *
     * @param instant the new time
     */
    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock stays in UTC");
    }
}
