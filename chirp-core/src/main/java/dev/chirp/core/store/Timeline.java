package dev.chirp.core.store;

import dev.chirp.core.Chirp;
import dev.chirp.core.Durations;
import dev.chirp.core.FeedObserver;
import dev.chirp.core.pubsub.PubSub;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The feed: the newest chirps, newest first, capped, in memory, with a dump file and a
 * write-ahead journal on disk.
 *
 * <p>Reads never lock: {@link #chirps()} returns an immutable snapshot. Every write (a post,
 * a clear, a flush) runs on one writer thread, which also publishes each new chirp, so every
 * subscriber sees chirps in feed order.
 *
 * <p>With a dump file, durability follows {@link Builder#fsync(Fsync)}. With a journal
 * (the default, {@link Fsync#BATCH}), the writer takes every post waiting in its queue, yields
 * its core, up to eight times, while each yield brings in more, appends them all to the
 * journal, forces it to disk once, and only then updates the feed, publishes and completes the
 * posts: a chirp whose future completed survives a crash. The
 * dump is the snapshot: written on a timer and on {@link #close()}, after which the journal
 * is emptied. Building the timeline loads the dump and replays the journal on top of it.
 *
 * <p>When the journal cannot be written (a full disk), posts fail with
 * {@link StoreUnavailableException}, reads keep working, {@link #writeFault()} says why, and
 * posts are taken again as soon as a write succeeds; the writer retries every second.
 *
 * <p>Ids are the larger of "previous id plus one" and the current Unix time in microseconds.
 * Because the clock keeps moving while the server is down, an id handed out just before a
 * crash is never handed out again after it.
 *
 * <p>Thread-safe.
 */
public final class Timeline implements Store {

    private static final System.Logger LOG = System.getLogger(Timeline.class.getName());
    /** Most posts one journal write takes, which bounds the write's size. */
    private static final int MAX_BATCH = 1024;

    /** How many times the writer yields its core, at most, to gather posts into one fsync. */
    private static final int MAX_YIELDS = 8;
    private static final Duration FAULT_RETRY = Duration.ofSeconds(1);

    private final int maxChirps;
    private final Optional<DumpFile> dump;
    private final Fsync fsync;
    private final Optional<Journal> journal;
    private final PubSub pubSub;
    private final Clock clock;
    private final ScheduledExecutorService writer;
    private final Queue<Write> queued = new ConcurrentLinkedQueue<>();
    private final FeedObserver observer;

    private volatile State state;
    // Written by the writer thread, and by close() only after that thread has ended.
    private volatile boolean dirty;
    private volatile Optional<String> writeFault = Optional.empty();
    private boolean closed;

    private Timeline(Builder builder) {
        this.maxChirps = builder.maxChirps;
        this.pubSub = builder.pubSub;
        this.clock = builder.clock;
        this.fsync = builder.fsync;
        this.observer = builder.observer;
        this.dump = builder.dumpPath.map(path -> new DumpFile(path, builder.clock));

        Recovery.Result loaded = dump
                .map(file -> Recovery.run(file, fsync, maxChirps, clock))
                .orElseGet(() -> new Recovery.Result(List.of(), 0, false, Optional.empty()));
        this.state = new State(loaded.chirps(), loaded.lastId());
        this.dirty = loaded.dirty();
        this.journal = loaded.journal();

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
     * Returns a builder with the defaults: 100 chirps, no dump file, a flush every 10 seconds,
     * group commit to the journal once there is a dump file.
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
    @Override
    public List<Chirp> chirps() {
        return state.chirps();
    }

    /**
     * Returns the highest id ever handed out, or 0 if none was.
     *
     * @return the last id
     */
    @Override
    public long lastId() {
        return state.lastId();
    }

    /**
     * Returns how many chirps the feed keeps.
     *
     * @return the cap
     */
    @Override
    public int maxChirps() {
        return maxChirps;
    }

    /**
     * Returns where the dump lives, if there is one.
     *
     * @return the absolute dump path
     */
    @Override
    public Optional<Path> dumpPath() {
        return dump.map(DumpFile::path);
    }

    /**
     * Returns how accepted chirps are made durable.
     *
     * @return the fsync mode; it matters only with a dump file
     */
    public Fsync fsync() {
        return fsync;
    }

    /**
     * Returns why the store cannot save chirps right now, such as a full disk, for health
     * checks. With a journal this is the last journal write failing (posts fail meanwhile);
     * with fsync off, the last dump write failing (posts are kept in memory meanwhile).
     *
     * @return a short message for a person, or empty while the store can write
     */
    @Override
    public Optional<String> writeFault() {
        return writeFault;
    }

    @Override
    public String faultSummary() {
        return "cannot write the feed to disk";
    }

    @Override
    public String location() {
        return dumpPath().map(Path::toString).orElse("in memory only");
    }

    /**
     * Adds a chirp at the top of the feed and publishes it. The text is stored as given:
     * normalize it with the guard first.
     *
     * @param handle who posts
     * @param text what is posted
     * @return the stored chirp, once it is durable (with a journal), in the feed and published;
     *     fails with {@link StoreUnavailableException} if it could not be made durable, or
     *     {@link IllegalStateException} once the timeline is closed
     */
    @Override
    public CompletableFuture<Chirp> post(String handle, String text) {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(text, "text");
        Post post = new Post(handle, text, new CompletableFuture<>());
        enqueue(post);
        return post.result();
    }

    /**
     * Empties the feed. Ids already handed out stay used.
     *
     * <p>Limitation: open pages are not told; they keep showing the old chirps until they
     * reload or reconnect.
     *
     * @return completes once the feed is empty (and, with a journal, once that is durable)
     */
    @Override
    public CompletableFuture<Void> clear() {
        Clear clear = new Clear(new CompletableFuture<>());
        enqueue(clear);
        return clear.result();
    }

    /**
     * Writes the dump now if anything changed since the last write, empties the journal
     * behind it, and waits for both.
     *
     * @throws IOException if the dump cannot be written
     */
    public void flush() throws IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            writer.execute(() -> {
                try {
                    writeDump();
                    done.complete(null);
                } catch (IOException | RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
            done.get();
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the timeline is closed");
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
     * Tells whether something acknowledged would be lost if the process ended now: with fsync
     * off, changes not yet in the dump, as after a final flush that failed. With a journal,
     * never: what the dump lacks is in the journal.
     *
     * @return whether something would be lost if the process ended now
     */
    @Override
    public boolean hasUnflushedChanges() {
        return dump.isPresent() && journal.isEmpty() && dirty;
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
        journal.ifPresent(open -> {
            try {
                open.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Could not close journal {0}: {1}", open.path(), e.toString());
            }
        });
    }

    private void enqueue(Write write) {
        queued.add(write);
        try {
            // One task per write: the first to run takes everything queued by then.
            writer.execute(this::commitQueued);
        } catch (RejectedExecutionException e) {
            // Unless a task still running took it, it would never be answered.
            if (queued.remove(write)) {
                write.result().completeExceptionally(new IllegalStateException("the timeline is closed"));
            }
        }
    }

    /** Runs on the writer: stores, makes durable, publishes and completes a batch of writes. */
    private void commitQueued() {
        List<Write> batch = takeBatch();
        if (batch.isEmpty()) {
            return;
        }
        try {
            commit(batch);
        } catch (RuntimeException | Error e) {
            // Answers every write still waiting: none may hang because of another's failure.
            batch.forEach(write -> write.result().completeExceptionally(e));
            throw e;
        }
    }

    private void commit(List<Write> batch) {
        State current = state;
        Batch built = build(batch, current);

        if (journal.isPresent()) {
            long started = System.nanoTime();
            try {
                journal.get().append(built.records().flip());
                observer.journaled(Duration.ofNanos(System.nanoTime() - started), batch.size());
            } catch (IOException e) {
                // The ids stay used: a cut that failed may have left these records on disk.
                state = new State(current.chirps(), built.lastId());
                failBatch(batch, e);
                return;
            }
            recovered();
        }

        state = new State(built.chirps(), built.lastId());
        dirty = true;
        for (Chirp chirp : built.posted()) {
            observer.stored(chirp);
            try {
                pubSub.publish(chirp);
            } catch (RuntimeException e) {
                // Stored and durable, so still acknowledged; live clients miss it until they reconnect.
                LOG.log(System.Logger.Level.ERROR, "Could not publish chirp " + chirp.id(), e);
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).complete(built.stored().get(i));
        }
    }

    private List<Write> takeBatch() {
        int most = fsync == Fsync.ALWAYS ? 1 : MAX_BATCH;
        List<Write> batch = new ArrayList<>();
        drain(batch, most);
        boolean groupCommit = fsync == Fsync.BATCH && journal.isPresent();
        if (groupCommit && !batch.isEmpty()) {
            // Each batch pays for one fsync. When threads handling requests are waiting for the
            // core, letting them run first brings their posts into this batch, and the writer
            // goes on yielding while that brings more; on an idle core the first yield returns
            // at once with nothing new.
            for (int yields = 0; yields < MAX_YIELDS && batch.size() < most; yields++) {
                int before = batch.size();
                Thread.yield();
                drain(batch, most);
                if (batch.size() == before) {
                    break;
                }
            }
        }
        return batch;
    }

    private void drain(List<Write> batch, int most) {
        for (Write write; batch.size() < most && (write = queued.poll()) != null; ) {
            batch.add(write);
        }
    }

    /** Works out the feed after a batch, and the journal records for it. */
    private Batch build(List<Write> batch, State current) {
        long lastId = current.lastId();
        List<Chirp> base = current.chirps();
        List<Chirp> added = new ArrayList<>();
        List<Chirp> posted = new ArrayList<>();
        List<Chirp> stored = new ArrayList<>(batch.size());
        int bytes = 0;
        for (Write write : batch) {
            if (write instanceof Post post) {
                long id = Math.max(lastId + 1, epochMicros());
                Chirp chirp = new Chirp(id, post.handle(), post.text(), clock.instant().truncatedTo(ChronoUnit.SECONDS));
                lastId = id;
                added.add(chirp);
                posted.add(chirp);
                stored.add(chirp);
                bytes += Journal.size(chirp);
            } else {
                base = List.of();
                added.clear();
                stored.add(null);
                bytes += Journal.clearSize();
            }
        }

        ByteBuffer records = ByteBuffer.allocate(journal.isPresent() ? bytes : 0);
        if (journal.isPresent()) {
            long idBefore = current.lastId();
            int next = 0;
            for (Write write : batch) {
                if (write instanceof Post) {
                    Chirp chirp = posted.get(next++);
                    Journal.encode(chirp, records);
                    idBefore = chirp.id();
                } else {
                    Journal.encodeClear(idBefore, records);
                }
            }
        }
        return new Batch(newestFirst(added, base), lastId, posted, stored, records);
    }

    private List<Chirp> newestFirst(List<Chirp> addedOldestFirst, List<Chirp> base) {
        int fromAdded = Math.min(addedOldestFirst.size(), maxChirps);
        int fromBase = Math.min(base.size(), maxChirps - fromAdded);
        List<Chirp> chirps = new ArrayList<>(fromAdded + fromBase);
        for (int i = addedOldestFirst.size() - 1; i >= addedOldestFirst.size() - fromAdded; i--) {
            chirps.add(addedOldestFirst.get(i));
        }
        chirps.addAll(base.subList(0, fromBase));
        return List.copyOf(chirps);
    }

    private void failBatch(List<Write> batch, IOException cause) {
        boolean full = isDiskFull(cause);
        String fault = (full ? "disk full" : "cannot write") + ": " + journal.orElseThrow().path() + " ("
                + cause.getMessage() + ")";
        boolean first = writeFault.isEmpty();
        writeFault = Optional.of(fault);
        if (first) {
            LOG.log(System.Logger.Level.WARNING, "Refusing posts: journal {0} cannot be written ({1}); reads go "
                    + "on, and posts are taken again once a write succeeds", journal.get().path(),
                    cause.toString());
            scheduleRetry();
        }
        StoreUnavailableException failure = new StoreUnavailableException("The server cannot save chirps right "
                + "now: " + (full ? "its disk is full" : "it cannot write to its disk") + ". Try again later.",
                cause);
        batch.forEach(write -> write.result().completeExceptionally(failure));
    }

    private void scheduleRetry() {
        try {
            writer.schedule(this::retry, FAULT_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closing: nothing left to retry for.
        }
    }

    /** Runs on the writer while the journal cannot be written: checks whether it can again. */
    private void retry() {
        if (writeFault.isEmpty()) {
            return;
        }
        try {
            journal.orElseThrow().probe();
            recovered();
        } catch (IOException e) {
            scheduleRetry();
        }
    }

    private void recovered() {
        if (writeFault.isPresent()) {
            writeFault = Optional.empty();
            LOG.log(System.Logger.Level.WARNING, "Taking posts again: journal {0} can be written",
                    journal.orElseThrow().path());
        }
    }

    private static boolean isDiskFull(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("No space left") || message.contains("Disk quota exceeded")
                || message.contains("not enough space");
    }

    private void writeDump() throws IOException {
        if (dump.isEmpty() || !dirty) {
            return;
        }
        State current = state;
        long started = System.nanoTime();
        try {
            dump.get().write(new DumpFile.Contents(current.chirps(), current.lastId()));
        } catch (IOException | RuntimeException e) {
            observer.flushed(Duration.ofNanos(System.nanoTime() - started), false);
            if (journal.isEmpty()) {
                // Without a journal the dump is the only copy on disk: say so until a write works.
                writeFault = Optional.of((e instanceof IOException io && isDiskFull(io) ? "disk full" : "cannot write")
                        + ": " + dump.get().path() + " (" + e.getMessage() + ")");
            }
            throw e;
        }
        observer.flushed(Duration.ofNanos(System.nanoTime() - started), true);
        dirty = false;
        if (journal.isEmpty()) {
            writeFault = Optional.empty();
            return;
        }
        try {
            journal.get().reset();
        } catch (IOException e) {
            // Harmless: a replay skips what the dump already holds; the next flush tries again.
            dirty = true;
            LOG.log(System.Logger.Level.WARNING, "Could not empty journal {0} after writing the dump: {1}",
                    journal.get().path(), e.toString());
        }
    }

    private void flushLogged() {
        try {
            writeDump();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Could not write the dump file {0}; the feed is kept "
                    + "in memory{1} and the next flush tries again: {2}",
                    dump.map(DumpFile::path).orElse(null), journal.isPresent() ? " and in the journal" : "",
                    e.toString());
        }
    }

    private long epochMicros() {
        return TimeUnit.MILLISECONDS.toMicros(clock.millis());
    }

    private record State(List<Chirp> chirps, long lastId) {
    }

    /** What a batch does: the feed after it, the chirps it posted, and its journal records. */
    private record Batch(List<Chirp> chirps, long lastId, List<Chirp> posted, List<Chirp> stored,
            ByteBuffer records) {
    }

    /** A write waiting for the writer thread. */
    private sealed interface Write permits Post, Clear {
        CompletableFuture<?> result();

        void complete(Chirp stored);
    }

    private record Post(String handle, String text, CompletableFuture<Chirp> result) implements Write {
        @Override
        public void complete(Chirp stored) {
            result.complete(stored);
        }
    }

    private record Clear(CompletableFuture<Void> result) implements Write {
        @Override
        public void complete(Chirp stored) {
            result.complete(null);
        }
    }

    /** Settings for a {@link Timeline}; each setter checks its argument at once. */
    public static final class Builder {

        private int maxChirps = 100;
        private Optional<Path> dumpPath = Optional.empty();
        private Duration flushEvery = Duration.ofSeconds(10);
        private Fsync fsync = Fsync.BATCH;
        private FeedObserver observer = FeedObserver.NONE;
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
         * Sets the dump file. Default: none, the feed lives in memory only. Its folder must exist
         * and be writable; the journal lives beside it, named as the dump plus {@code .journal}.
         *
         * @param dumpPath the file to load on build and write on every flush
         * @return this builder
         * @throws IllegalArgumentException if the folder is missing or not writable, or the path
         *     is a folder
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
            if (!Files.isWritable(folder)) {
                throw new IllegalArgumentException("dump path " + absolute + ": folder " + folder
                        + " is not writable");
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
         * Sets how accepted chirps are made durable when there is a dump file. Default
         * {@link Fsync#BATCH}.
         *
         * @param fsync the mode
         * @return this builder
         */
        public Builder fsync(Fsync fsync) {
            this.fsync = Objects.requireNonNull(fsync, "fsync");
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
         * Sets who hears of stored chirps, journal appends and dump writes. Default:
         * {@link FeedObserver#NONE}.
         *
         * @param observer the observer
         * @return this builder
         */
        public Builder observer(FeedObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * Loads the dump, if any, replays the journal on top of it, and starts the flush timer.
         *
         * @return the timeline
         * @throws IllegalStateException if the dump or journal exists but cannot be read, the
         *     dump is newer than this Chirp understands, or the journal cannot be opened
         */
        public Timeline build() {
            return new Timeline(this);
        }
    }
}
