package dev.chirp.transport.ws;

import dev.chirp.bench.Chirps;
import dev.chirp.core.Chirp;
import dev.chirp.core.pubsub.Encoding;
import dev.chirp.core.render.Render;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The payload of one WebSocket chirp frame: the out-of-band fragment as read-only UTF-8
 * bytes, shared by every socket. Undertow adds the frame header when it sends.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WsFrameBench {

    private Encoding<ByteBuffer> frames;
    private Chirp known;
    private long nextId = 1_000;

    /** Builds the encoding for a feed of 100. */
    @Setup
    public void setUp() {
        Render render = Render.create();
        // Limitation: the same encoder as the one Sockets builds in its constructor, restated
        // here because Sockets needs a whole Feed; keep the two in step.
        frames = Encoding.of("ws-oob", 100, chirp -> Sockets.utf8(render.outOfBandItem(chirp)));
        known = Chirps.typical(1);
        frames.encode(known);
    }

    /** A chirp not seen before: rendered, encoded and kept, evicting the oldest. */
    @Benchmark
    public ByteBuffer newChirp() {
        return frames.encode(Chirps.typical(nextId++));
    }

    /** A chirp already encoded: the lookup each further socket makes. */
    @Benchmark
    public ByteBuffer knownChirp() {
        return frames.encode(known);
    }
}
