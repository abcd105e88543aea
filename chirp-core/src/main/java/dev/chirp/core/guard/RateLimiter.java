package dev.chirp.core.guard;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fixed windows per client key, for at most a fixed number of keys at a time. When that many
 * clients are in a window already (a flood from many addresses), windows that have ended are
 * forgotten; if none have, every further new client shares one window until some end, so the
 * limiter's memory stays bounded and the limit cannot be escaped by using more addresses.
 * Thread-safe.
 */
final class RateLimiter {

    /** How many client windows are kept by default: a few megabytes at most. */
    static final int DEFAULT_MAX_KEYS = 100_000;
    /** The key that clients beyond the cap share; no address looks like it. */
    static final String OVERFLOW_KEY = "(too many clients)";
    private static final long FULL_SWEEP_INTERVAL_MILLIS = 100;

    private final RateLimit limit;
    private final Clock clock;
    private final int maxKeys;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final AtomicLong lastFullSweep = new AtomicLong(Long.MIN_VALUE / 2);

    RateLimiter(RateLimit limit, Clock clock) {
        this(limit, clock, DEFAULT_MAX_KEYS);
    }

    RateLimiter(RateLimit limit, Clock clock, int maxKeys) {
        this.limit = limit;
        this.clock = clock;
        this.maxKeys = maxKeys;
    }

    /** Counts one post for the key; returns how long to wait if it is over the limit. */
    Optional<Duration> acquire(String key) {
        long now = clock.millis();
        long windowMillis = limit.window().toMillis();
        String counted = key;
        if (windows.size() >= maxKeys && !windows.containsKey(key)) {
            // Sweeping walks every window, so a flood triggers it at most every so often.
            long last = lastFullSweep.get();
            if (now - last >= FULL_SWEEP_INTERVAL_MILLIS && lastFullSweep.compareAndSet(last, now)) {
                sweep();
            }
            if (windows.size() >= maxKeys) {
                // Limitation: while the cap is reached, newcomers share one window, so a flood
                // from many addresses can hold them up for up to one window.
                counted = OVERFLOW_KEY;
            }
        }
        // The count may pass the cap by the number of threads racing here, never more.
        Window window = windows.compute(counted, (k, current) -> {
            if (current == null || now >= current.start() + windowMillis) {
                return new Window(now, 1);
            }
            return new Window(current.start(), current.count() + 1);
        });
        if (window.count() <= limit.chirps()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(window.start() + windowMillis - now));
    }

    /** Forgets windows that have ended. */
    void sweep() {
        long cutoff = clock.millis() - limit.window().toMillis();
        windows.values().removeIf(window -> window.start() <= cutoff);
    }

    int size() {
        return windows.size();
    }

    private record Window(long start, int count) {
    }
}
