package dev.chirp.bench;

import dev.chirp.core.Chirp;
import dev.chirp.core.store.Fsync;
import dev.chirp.core.store.Timeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Appending to the timeline from several threads at once, as many connections post: in memory
 * (no dump file, so no journal), and with group commit on a dump file in a temporary folder
 * (each chirp journaled and forced to disk with the others waiting, before it is
 * acknowledged). The score is posts per second over all threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
public class TimelineBench {

    /** How many posts a thread has in flight before it waits for them. */
    static final int IN_FLIGHT = 16;

    /** {@code memory}: no dump file; {@code batch}: a dump file with --fsync batch. */
    @Param({"memory", "batch"})
    public String store;

    private Path folder;
    private Timeline timeline;

    /** Opens an empty timeline for each trial. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        Timeline.Builder builder = Timeline.builder().maxChirps(100);
        if (store.equals("memory")) {
            builder.fsync(Fsync.OFF);
        } else if (store.equals("batch")) {
            folder = Files.createTempDirectory("chirp-bench-");
            builder.dumpPath(folder.resolve("chirps.dump")).fsync(Fsync.BATCH).flushEvery(Duration.ofSeconds(10));
        } else {
            throw new IllegalArgumentException("store must be memory or batch, not " + store);
        }
        timeline = builder.build();
    }

    /** Closes the timeline and deletes its files. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        timeline.close();
        if (folder != null) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    /** Posts {@value #IN_FLIGHT} chirps without waiting, then waits until all are stored. */
    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT)
    public Chirp postAsync() {
        List<CompletableFuture<Chirp>> posts = new ArrayList<>(IN_FLIGHT);
        for (int i = 0; i < IN_FLIGHT; i++) {
            posts.add(timeline.post("swift-otter-7", "bench chirp number " + i + " with some ordinary text in it"));
        }
        Chirp last = null;
        for (CompletableFuture<Chirp> post : posts) {
            last = post.join();
        }
        return last;
    }

    /** Posts one chirp and waits until it is stored, as one HTTP poster does. */
    @Benchmark
    public Chirp postAndWait() {
        return timeline.post("swift-otter-7", "bench chirp with some ordinary text in it").join();
    }
}
