package dev.chirp.bench;

import dev.chirp.core.Chirp;
import dev.chirp.core.pubsub.Batch;
import dev.chirp.core.pubsub.Encoding;
import dev.chirp.core.pubsub.Lane;
import dev.chirp.core.pubsub.PubSub;
import dev.chirp.core.render.Render;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The fan-out path up to the socket: the broadcaster hands a round of chirps to a {@link Lane}
 * of {@value #MEMBERS} connections, and each connection finds the round's joined bytes and
 * positions them for its write, as the transports do; the write itself, a system call, is left
 * out. The lane runs its rounds on the benchmark's thread. The score is per connection and
 * round, whatever the number of chirps in the round.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class FanoutBench {

    /** How many connections the lane holds. */
    static final int MEMBERS = 1_000;

    /** How many chirps each round carries. */
    @Param({"1", "8"})
    public int chirpsPerRound;

    private final PubSub pubSub = PubSub.inProcess();
    private Encoding<ByteBuffer> events;
    private long nextId = 1;
    /** Bytes the members would have written, so that their work cannot be optimised away. */
    long positioned;
    /** The round the lane asked to run; the benchmark runs it once a round's chirps are in. */
    private Runnable scheduled;

    /** Joins the connections to a lane whose rounds run on this thread. */
    @Setup
    public void setUp() {
        Render render = Render.create();
        events = Encoding.of("bench-sse", 100, chirp -> ByteBuffer.wrap(("id: " + chirp.id() + "\nevent: chirp\ndata: "
                + render.item(chirp) + "\n\n").getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
        Lane lane = new Lane(Thread.currentThread(), (task, delayNanos) -> scheduled = task);
        for (int i = 0; i < MEMBERS; i++) {
            lane.join(this::write, 0);
        }
        pubSub.subscribe(lane);
    }

    private void write(Batch batch, int from) {
        ByteBuffer joined = batch.joined(events);
        joined.limit(joined.capacity()).position(batch.start(events, from));
        positioned += joined.remaining();
    }

    /** One round to every connection; the score is per connection. */
    @Benchmark
    @OperationsPerInvocation(MEMBERS)
    public long round() {
        Chirp[] round = new Chirp[chirpsPerRound];
        for (int i = 0; i < round.length; i++) {
            round[i] = Chirps.typical(nextId++);
        }
        for (Chirp chirp : round) {
            pubSub.publish(chirp);
        }
        Runnable run = scheduled;
        scheduled = null;
        run.run();
        return positioned;
    }
}
