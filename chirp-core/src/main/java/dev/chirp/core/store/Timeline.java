package dev.chirp.core.store;

import dev.chirp.core.Chirp;
import dev.chirp.core.Durations;
import dev.chirp.core.pubsub.PubSub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The feed: the newest chirps, newest first, capped, in memory, with a dump file on disk.
 *
 * <p>Reads never lock: {@link #chirps()} returns an immutable snapshot. Every write (a post,
 * a clear, a flush) runs on one writer thread, which also publishes each new chirp, so every
 * subscriber sees chirps in feed order. The dump is loaded when the timeline is built, written
 * on a timer and once more on {@link #close()}.
 *
 * <p>Ids are the larger of "previous id plus one" and the current Unix time in microseconds.
 * Because the clock keeps moving while the server is down, an id handed out just before a
 * crash is never handed out again after it, even though that chirp was not yet in the dump.
 *
 * <p>Limitation: a chirp accepted after the last flush is lost if the process dies without a
 * clean shutdown; the flush interval bounds that window.
 *
 * <p>Thread-safe.
 */
public final class Timeline implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Timeline.class.getName());

    private final int maxChirps;
    private final Optional<DumpFile> dump;
    private final PubSub pubSub;
    private final Clock clock;
    private final ScheduledExecutorService writer;

    private volatile State state;
    // Written by the writer thread, and by close() only after that thread has ended.
    private volatile boolean dirty;
    private boolean closed;

    private Timeline(Builder builder) {
        this.maxChirps = builder.maxChirps;
        this.pubSub = builder.pubSub;
        this.clock = builder.clock;
        this.dump = builder.dumpPath.map(path -> new DumpFile(path, builder.clock));

        DumpFile.Contents loaded = dump.map(DumpFile::load).orElse(DumpFile.Contents.EMPTY);
        List<Chirp> chirps = loaded.chirps();
        this.state = new State(List.copyOf(chirps.subList(0, Math.min(chirps.size(), maxChirps))),
                loaded.lastId());

        this.writer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "chirp-timeline-writer");
            thread.setDaemon(true);
            return thread;
        });
        if (dump.isPresent()) {
            long period = builder.flushEvery.toMillis();
            writer.scheduleWithFixedDelay(this::flushLogged, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Returns a builder with the defaults: 100 chirps, no dump file, a flush every 10 seconds.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the feed as it is now, newest first. Never blocks.
     *
     * @return an immutable list, at most {@link #maxChirps()} long
     */
    public List<Chirp> chirps() {
        return state.chirps();
    }

    /**
     * Returns the highest id ever handed out, or 0 if none was.
     *
     * @return the last id
     */
    public long lastId() {
        return state.lastId();
    }

    /**
     * Returns how many chirps the feed keeps.
     *
     * @return the cap
     */
    public int maxChirps() {
        return maxChirps;
    }

    /**
     * Returns where the dump lives, if there is one.
     *
     * @return the absolute dump path
     */
    public Optional<Path> dumpPath() {
        return dump.map(DumpFile::path);
    }

    /**
     * Adds a chirp at the top of the feed and publishes it. The text is stored as given:
     * normalize it with the guard first.
     *
     * @param handle who posts
     * @param text what is posted
     * @return the stored chirp, once it is in the feed and published
     */
    public CompletableFuture<Chirp> post(String handle, String text) {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(text, "text");
        return onWriter(() -> {
            State current = state;
            long id = Math.max(current.lastId() + 1, epochMicros());
            Chirp chirp = new Chirp(id, handle, text, clock.instant().truncatedTo(ChronoUnit.SECONDS));

            List<Chirp> chirps = new ArrayList<>(Math.min(current.chirps().size() + 1, maxChirps));
            chirps.add(chirp);
            chirps.addAll(current.chirps().subList(0, Math.min(current.chirps().size(), maxChirps - 1)));
            state = new State(List.copyOf(chirps), id);
            dirty = true;

            pubSub.publish(chirp);
            return chirp;
        });
    }

    /**
     * Empties the feed. Ids already handed out stay used.
     *
     * <p>Limitation: open pages are not told; they keep showing the old chirps until they
     * reload or reconnect.
     *
     * @return completes once the feed is empty
     */
    public CompletableFuture<Void> clear() {
        return onWriter(() -> {
            state = new State(List.of(), state.lastId());
            dirty = true;
            return null;
        });
    }

    /**
     * Writes the dump now if anything changed since the last write, and waits for it.
     *
     * @throws IOException if the dump cannot be written
     */
    public void flush() throws IOException {
        try {
            onWriter(() -> {
                writeDump();
                return null;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while flushing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Tells whether the feed holds changes that are not in the dump, as after a final flush
     * that failed.
     *
     * @return whether something would be lost if the process ended now
     */
    public boolean hasUnflushedChanges() {
        return dump.isPresent() && dirty;
    }

    /** Stops the flush timer, lets queued writes finish, writes the dump one last time. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // Refuse new writes but let the queued ones finish, then dump: a post accepted before
        // close() is in the last dump, and a later one fails instead of being dropped unanswered.
        writer.shutdown();
        try {
            writer.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.shutdownNow();
            LOG.log(System.Logger.Level.ERROR, "Interrupted while closing the feed; skipped its final flush");
            return;
        }
        flushLogged();
    }

    private <T> CompletableFuture<T> onWriter(Write<T> write) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            writer.execute(() -> {
                try {
                    result.complete(write.run());
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("the timeline is closed"));
        }
        return result;
    }

    private void writeDump() throws IOException {
        if (dump.isEmpty() || !dirty) {
            return;
        }
        State current = state;
        dump.get().write(new DumpFile.Contents(current.chirps(), current.lastId()));
        dirty = false;
    }

    private void flushLogged() {
        try {
            writeDump();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Could not write the dump file {0}; the feed is kept "
                    + "in memory and the next flush tries again: {1}",
                    dump.map(DumpFile::path).orElse(null), e.toString());
        }
    }

    private long epochMicros() {
        return TimeUnit.MILLISECONDS.toMicros(clock.millis());
    }

    private record State(List<Chirp> chirps, long lastId) {
    }

    @FunctionalInterface
    private interface Write<T> {
        T run() throws Exception;
    }

    /** Settings for a {@link Timeline}; each setter checks its argument at once. */
    public static final class Builder {

        private int maxChirps = 100;
        private Optional<Path> dumpPath = Optional.empty();
        private Duration flushEvery = Duration.ofSeconds(10);
        private PubSub pubSub = PubSub.none();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Sets how many chirps the feed keeps; older ones fall off. Default 100.
         *
         * @param maxChirps at least 1
         * @return this builder
         */
        public Builder maxChirps(int maxChirps) {
            if (maxChirps < 1) {
                throw new IllegalArgumentException("max chirps must be at least 1, got " + maxChirps);
            }
            this.maxChirps = maxChirps;
            return this;
        }

        /**
         * Sets the dump file. Default: none, the feed lives in memory only. Its folder must exist.
         *
         * @param dumpPath the file to load on build and write on every flush
         * @return this builder
         */
        public Builder dumpPath(Path dumpPath) {
            Path absolute = dumpPath.toAbsolutePath().normalize();
            Path folder = absolute.getParent();
            if (folder == null || !Files.isDirectory(folder)) {
                throw new IllegalArgumentException("dump path " + absolute + ": folder " + folder
                        + " does not exist");
            }
            if (Files.isDirectory(absolute)) {
                throw new IllegalArgumentException("dump path " + absolute + " is a folder, not a file");
            }
            this.dumpPath = Optional.of(absolute);
            return this;
        }

        /**
         * Sets how often the dump is written while chirps arrive. Default 10 seconds.
         *
         * @param flushEvery a positive duration
         * @return this builder
         */
        public Builder flushEvery(Duration flushEvery) {
            this.flushEvery = Durations.requirePositive(flushEvery, "flush interval");
            return this;
        }

        /**
         * Sets where new chirps are published. Default: nowhere.
         *
         * @param pubSub the broadcaster
         * @return this builder
         */
        public Builder pubSub(PubSub pubSub) {
            this.pubSub = Objects.requireNonNull(pubSub, "pubSub");
            return this;
        }

        /**
         * Sets the clock for ids and timestamps. Default: the system clock in UTC.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Loads the dump, if any, and starts the flush timer.
         *
         * @return the timeline
         * @throws IllegalStateException if the dump exists but cannot be read, or is newer
         *     than this Chirp understands
         */
        public Timeline build() {
            return new Timeline(this);
        }
    }
}
