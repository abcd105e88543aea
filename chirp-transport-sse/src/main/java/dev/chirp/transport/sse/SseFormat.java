package dev.chirp.transport.sse;

import dev.chirp.core.Chirp;
import dev.chirp.core.pubsub.Encoding;
import dev.chirp.core.render.Render;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The bytes of the event stream. Each buffer is read-only: writers send duplicates. */
final class SseFormat {

    /** A comment line that keeps idle connections and proxies from timing out. */
    static final ByteBuffer HEARTBEAT = ascii(": keep-alive\n\n");

    private SseFormat() {
    }

    /** Chirps as events, each rendered once for all streams. */
    static Encoding<ByteBuffer> chirpEvents(Render render, int capacity) {
        return Encoding.of("sse-chirp", capacity, chirp -> chirpEvent(render, chirp));
    }

    /** Chirps as events whose data is the chirp as JSON, each encoded once for all streams. */
    static Encoding<ByteBuffer> chirpJsonEvents(Render render, int capacity) {
        return Encoding.of("sse-json", capacity,
                chirp -> utf8("id: " + chirp.id() + "\nevent: chirp\ndata: " + render.json(chirp) + "\n\n"));
    }

    private static ByteBuffer chirpEvent(Render render, Chirp chirp) {
        return utf8("id: " + chirp.id() + "\nevent: chirp\ndata: " + render.item(chirp) + "\n\n");
    }

    /**
     * The opening of a stream: the reconnection delay and, before a full replay, an event
     * that tells the page to empty its feed so the replay does not show chirps twice. An
     * event with empty data is never dispatched by browsers, hence the comment as data.
     */
    static ByteBuffer opening(Duration retry, boolean fullReplay) {
        String retryLine = "retry: " + retry.toMillis() + "\n\n";
        return utf8(fullReplay ? retryLine + "event: reset\ndata: <!-- feed replaced -->\n\n" : retryLine);
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }
}
