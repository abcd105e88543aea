package dev.chirp.core.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.MutableClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final MutableClock clock = MutableClock.at("2025-12-03T17:25:17Z");
    private final RateLimiter limiter =
            new RateLimiter(new RateLimit(2, Duration.ofSeconds(10)), clock);

    @Test
    void allowsUpToTheLimitInAWindowAndSaysHowLongToWait() {
        limiter.acquire("a");
        limiter.acquire("a");
        clock.advance(Duration.ofMillis(2500));

        Optional<Duration> wait = limiter.acquire("a");

        assertEquals(Optional.of(Duration.ofMillis(7500)), wait);
    }

    @Test
    void startsANewWindowExactlyWhenTheOldOneEnds() {
        limiter.acquire("a");
        limiter.acquire("a");
        clock.advance(Duration.ofMillis(9999));
        Optional<Duration> justBefore = limiter.acquire("a");

        clock.advance(Duration.ofMillis(1));
        Optional<Duration> atTheEnd = limiter.acquire("a");

        assertEquals(Optional.of(Duration.ofMillis(1)), justBefore);
        assertEquals(Optional.empty(), atTheEnd);
    }

    @Test
    void sweepForgetsEndedWindowsAndKeepsRunningOnes() {
        limiter.acquire("early1");
        limiter.acquire("early2");
        clock.advance(Duration.ofSeconds(5));
        limiter.acquire("late");
        clock.advance(Duration.ofSeconds(5));

        limiter.sweep();

        assertEquals(1, limiter.size(), "windows left after the early ones ended");
    }

    @Test
    void sweepForgetsEveryWindowOnceAllHaveEnded() {
        for (int i = 0; i < 100; i++) {
            limiter.acquire("203.0.113." + i);
        }
        clock.advance(Duration.ofSeconds(10));

        limiter.sweep();

        assertEquals(0, limiter.size(), "windows left");
    }

    @Test
    void aSweptKeyStartsAFreshWindow() {
        limiter.acquire("a");
        limiter.acquire("a");
        clock.advance(Duration.ofSeconds(10));
        limiter.sweep();

        Optional<Duration> first = limiter.acquire("a");
        Optional<Duration> second = limiter.acquire("a");
        Optional<Duration> third = limiter.acquire("a");

        assertEquals(Optional.empty(), first);
        assertEquals(Optional.empty(), second);
        assertEquals(Optional.of(Duration.ofSeconds(10)), third);
    }

    @Test
    void aFloodOfDistinctClientsKeepsTheLimiterWithinItsCap() {
        RateLimiter capped = new RateLimiter(new RateLimit(2, Duration.ofSeconds(10)), clock, 1000);

        for (int i = 0; i < 50_000; i++) {
            capped.acquire("198.51." + (i / 256) + "." + (i % 256));
        }

        assertTrue(capped.size() <= 1001, "windows kept: " + capped.size());
    }

    @Test
    void clientsBeyondTheCapShareOneWindowSoMoreAddressesDoNotEscapeTheLimit() {
        RateLimiter capped = new RateLimiter(new RateLimit(2, Duration.ofSeconds(10)), clock, 10);
        for (int i = 0; i < 10; i++) {
            capped.acquire("filler-" + i);
        }

        Optional<Duration> first = capped.acquire("new-1");
        Optional<Duration> second = capped.acquire("new-2");
        Optional<Duration> third = capped.acquire("new-3");

        assertEquals(Optional.empty(), first);
        assertEquals(Optional.empty(), second);
        assertEquals(Optional.of(Duration.ofSeconds(10)), third, "the third newcomer in one window");
    }

    @Test
    void windowsThatEndedMakeRoomForNewClients() {
        RateLimiter capped = new RateLimiter(new RateLimit(1, Duration.ofSeconds(10)), clock, 10);
        for (int i = 0; i < 10; i++) {
            capped.acquire("filler-" + i);
        }
        clock.advance(Duration.ofSeconds(11));

        Optional<Duration> newcomer = capped.acquire("new");
        Optional<Duration> again = capped.acquire("new");

        assertEquals(Optional.empty(), newcomer);
        assertTrue(again.isPresent(), "the newcomer has a window of its own, and used it");
        assertTrue(capped.size() <= 2, "ended windows were forgotten: " + capped.size());
    }
}
