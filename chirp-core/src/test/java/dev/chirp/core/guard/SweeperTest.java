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
        Optional<Duration> often = Optional.of(Duration.ofMillis(5));

        Sweeper sweeper = Sweeper.start(guard, often, clears::countDown);
        boolean cleared;
        try {
            cleared = clears.await(5, SECONDS);
        } finally {
            sweeper.close();
        }

        assertTrue(cleared, "the feed was not cleared three times within 5 seconds");
    }

    @Test
    void rejectsANonPositiveClearInterval() {
        Optional<Duration> never = Optional.of(Duration.ZERO);

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Sweeper.start(guard, never, () -> { }));

        assertEquals("clear interval must be positive, got PT0S", thrown.getMessage());
    }
}
