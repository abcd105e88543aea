package dev.chirp.transport.sse;

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
 * The bytes of one SSE chirp event, from the transport's own encoding (this class sits in
 * the transport's package to reach it). {@link #newChirp} is the one encoding a new chirp
 * costs; {@link #knownChirp} is what every further connection pays to get the same bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SseFrameBench {

    private Encoding<ByteBuffer> events;
    private Encoding<ByteBuffer> jsonEvents;
    private Chirp known;
    private long nextId = 1_000;

    /** Builds the encodings as the SSE handler does, for a feed of 100. */
    @Setup
    public void setUp() {
        Render render = Render.create();
        events = SseFormat.chirpEvents(render, 100);
        jsonEvents = SseFormat.chirpJsonEvents(render, 100);
        known = Chirps.typical(1);
        events.encode(known);
    }

    /** A chirp not seen before: rendered, framed as an event and kept, evicting the oldest. */
    @Benchmark
    public ByteBuffer newChirp() {
        return events.encode(Chirps.typical(nextId++));
    }

    /** The same as {@link #newChirp} for the JSON event stream. */
    @Benchmark
    public ByteBuffer newChirpJson() {
        return jsonEvents.encode(Chirps.typical(nextId++));
    }

    /** A chirp already encoded: the lookup each further connection makes. */
    @Benchmark
    public ByteBuffer knownChirp() {
        return events.encode(known);
    }
}
