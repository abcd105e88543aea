package dev.chirp.transport.sse;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A bounded poll for state that announces no change of its own, such as a counter. Tests use
 * it only where there is no queue, latch or future to wait on.
 */
final class Poll {

    private static final long INTERVAL_MILLIS = 10;

    private Poll() {
    }

    /** Checks the condition until it holds or the timeout passes; returns whether it held. */
    static boolean until(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(INTERVAL_MILLIS);
        }
        return true;
    }
}
