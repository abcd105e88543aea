package dev.chirp.core.guard;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Fixed windows per client key. Thread-safe. */
final class RateLimiter {

    private final RateLimit limit;
    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    RateLimiter(RateLimit limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /** Counts one post for the key; returns how long to wait if it is over the limit. */
    Optional<Duration> acquire(String key) {
        long now = clock.millis();
        long windowMillis = limit.window().toMillis();
        Window window = windows.compute(key, (k, current) -> {
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
