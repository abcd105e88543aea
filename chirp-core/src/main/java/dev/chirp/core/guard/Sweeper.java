package dev.chirp.core.guard;

import dev.chirp.core.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Housekeeping on a timer: forgets ended rate-limit windows every minute and, if asked,
 * empties the feed at a fixed interval (a public demo's reset). Stop it with {@link #close()}.
 */
public final class Sweeper implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Sweeper.class.getName());
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final ScheduledExecutorService timer;

    private Sweeper(Guard guard, Optional<Duration> clearEvery, Runnable clearFeed) {
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "chirp-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long sweep = SWEEP_EVERY.toMillis();
        timer.scheduleWithFixedDelay(guard::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
        clearEvery.ifPresent(every -> timer.scheduleAtFixedRate(() -> {
            LOG.log(System.Logger.Level.INFO, "Clearing the feed, as it is every {0}", every);
            clearFeed.run();
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * Starts the housekeeping.
     *
     * @param guard the guard whose rate-limit windows to sweep
     * @param clearEvery how often to empty the feed, or empty never to
     * @param clearFeed what empties the feed
     * @return the running sweeper
     */
    public static Sweeper start(Guard guard, Optional<Duration> clearEvery, Runnable clearFeed) {
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(clearFeed, "clearFeed");
        clearEvery.ifPresent(every -> Durations.requirePositive(every, "clear interval"));
        return new Sweeper(guard, clearEvery, clearFeed);
    }

    /** Stops the timer. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
