package dev.chirp.core.guard;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class SweeperTest {

    private final Guard guard = Guard.builder().build();

    @Test
    void clearsTheFeedAtTheGivenInterval() throws Exception {
        CountDownLatch clears = new CountDownLatch(3);

        try (Sweeper sweeper = Sweeper.start(guard, Optional.of(Duration.ofMillis(5)), clears::countDown)) {
            assertTrue(clears.await(5, SECONDS), "the feed was not cleared three times");
        }
    }

    @Test
    void rejectsANonPositiveClearInterval() {
        Optional<Duration> never = Optional.of(Duration.ZERO);

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Sweeper.start(guard, never, () -> { }));

        assertEquals("clear interval must be positive, got PT0S", thrown.getMessage());
    }
}
