package dev.chirp.bench;

import dev.chirp.core.pubsub.Broadcast;
import dev.chirp.core.pubsub.Encoding;
import dev.chirp.core.pubsub.PubSub;
import dev.chirp.core.pubsub.Subscriber;
import dev.chirp.core.render.Render;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The in-process broadcaster handing each new chirp to {@value #SUBSCRIBERS} subscribers that
 * only queue it, so the score is the cost per delivery of the publishing path itself. In
 * {@link #publishAndEncode} each subscriber also asks for the chirp's SSE-like encoding, as a
 * connection does: the first one renders it, the others look it up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class FanoutBench {

    /** How many subscribers each chirp goes to. */
    static final int SUBSCRIBERS = 1_000;
    /** How many chirps a subscriber queue holds before the benchmark empties it. */
    private static final int QUEUE_LIMIT = 256;

    private final PubSub plain = PubSub.inProcess();
    private final PubSub encoding = PubSub.inProcess();
    private long nextId = 1;

    /** Subscribes the queues. */
    @Setup
    public void setUp() {
        Render render = Render.create();
        Encoding<String> items = Encoding.of("bench-item", 100, render::item);
        for (int i = 0; i < SUBSCRIBERS; i++) {
            plain.subscribe(new Queue(null));
            encoding.subscribe(new Queue(items));
        }
    }

    /** One chirp to every subscriber; the score is per delivery. */
    @Benchmark
    @OperationsPerInvocation(SUBSCRIBERS)
    public void publish() {
        plain.publish(Chirps.typical(nextId++));
    }

    /** One chirp to every subscriber, each asking for its encoding; the score is per delivery. */
    @Benchmark
    @OperationsPerInvocation(SUBSCRIBERS)
    public void publishAndEncode() {
        encoding.publish(Chirps.typical(nextId++));
    }

    /** A subscriber that queues what it gets; called on the one publishing thread only. */
    private static final class Queue implements Subscriber {
        private final ArrayDeque<Object> queued = new ArrayDeque<>(QUEUE_LIMIT);
        private final Encoding<String> encoding;

        Queue(Encoding<String> encoding) {
            this.encoding = encoding;
        }

        @Override
        public void deliver(Broadcast broadcast) {
            if (queued.size() == QUEUE_LIMIT) {
                queued.clear();
            }
            queued.add(encoding == null ? broadcast : broadcast.encoded(encoding));
        }
    }
}
