package dev.chirp.core.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionLimitTest {

    @Test
    void admitsUpToTheLimitAndRefusesBeyondIt() {
        ConnectionLimit limit = ConnectionLimit.of(2);

        boolean first = limit.tryAcquire();
        boolean second = limit.tryAcquire();
        boolean third = limit.tryAcquire();

        assertTrue(first, "the first connection");
        assertTrue(second, "the second connection");
        assertFalse(third, "the third connection");
        assertEquals(2, limit.open(), "connections counted; a refused one is not");
    }

    @Test
    void aReleasedConnectionMakesRoomForAnother() {
        ConnectionLimit limit = ConnectionLimit.of(1);
        limit.tryAcquire();

        limit.release();
        boolean next = limit.tryAcquire();

        assertTrue(next, "a connection after the first one closed");
        assertEquals(1, limit.open(), "connections counted");
    }

    @Test
    void connectionsOpeningAtOnceNeverExceedTheLimit() throws Exception {
        ConnectionLimit limit = ConnectionLimit.of(5);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> admitted = new ArrayList<>();

        try {
            for (int t = 0; t < threads; t++) {
                admitted.add(pool.submit(() -> {
                    start.await();
                    int count = 0;
                    for (int i = 0; i < 1000; i++) {
                        count += limit.tryAcquire() ? 1 : 0;
                    }
                    return count;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> future : admitted) {
                total += future.get(5, TimeUnit.SECONDS);
            }

            assertEquals(5, total, "connections admitted by " + threads + " racing threads");
            assertEquals(5, limit.open(), "connections counted");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anUnlimitedCounterCountsButHasNoCeiling() {
        ConnectionLimit limit = ConnectionLimit.unlimited();

        int admitted = 0;
        for (int i = 0; i < 10_000; i++) {
            admitted += limit.tryAcquire() ? 1 : 0;
        }

        assertEquals(10_000, admitted, "connections admitted");
        assertEquals(10_000, limit.open(), "connections counted");
        assertEquals(OptionalInt.empty(), limit.max(), "the ceiling");
    }

    @Test
    void theRefusalNamesTheLimit() {
        ConnectionLimit limit = ConnectionLimit.of(500);

        String refusal = limit.refusal();

        assertEquals("Chirp is serving as many live connections as it can (500);"
                + " try again in a moment.", refusal);
        assertEquals(OptionalInt.of(500), limit.max(), "the ceiling");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void rejectsALimitBelowOne(int max) {
        IllegalArgumentException thrown =
                assertThrows(IllegalArgumentException.class, () -> ConnectionLimit.of(max));

        assertEquals("max connections must be at least 1, got " + max, thrown.getMessage());
    }
}
