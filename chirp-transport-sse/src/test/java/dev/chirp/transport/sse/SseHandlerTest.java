package dev.chirp.transport.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chirp.core.Feed;
import dev.chirp.core.guard.Guard;
import dev.chirp.core.identity.Identity;
import dev.chirp.core.pubsub.PubSub;
import dev.chirp.core.render.Render;
import dev.chirp.core.store.Timeline;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SseHandlerTest {

    private SseServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "GET, /",
        "GET, /elsewhere",
        "GET, /chirps",
        "POST, /stream",
        "DELETE, /chirps",
        "GET, /stream/more",
    })
    void passesEveryOtherRequestToTheNextHandler(String method, String path) throws Exception {
        server = SseServer.start(Guard.builder().build());

        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri(path))
                .method(method, HttpRequest.BodyPublishers.noBody()));

        assertEquals(200, response.statusCode(), "status from the fallback");
        assertEquals(SseServer.fallbackBody(method, path), response.body(), "body");
        assertEquals(List.of(), server.feed().store().chirps(), "the feed");
    }

    @Test
    void servesTheRoutesAtTheConfiguredPaths() throws Exception {
        server = SseServer.start(Guard.builder().build(),
                builder -> builder.streamPath("/events").postPath("/post"), undertow -> { });

        HttpResponse<String> oldPost = server.send(HttpRequest.newBuilder(server.uri("/chirps"))
                .header("Content-Type", SseServer.FORM)
                .POST(HttpRequest.BodyPublishers.ofString("chirp=lost")));
        HttpResponse<String> oldStream = server.send(HttpRequest.newBuilder(server.uri("/stream")));

        try (EventStream stream = server.stream("/events")) {
            stream.opening();
            stream.nextEvent();
            HttpResponse<String> posted = server.send(HttpRequest.newBuilder(server.uri("/post"))
                    .header("Content-Type", SseServer.FORM)
                    .POST(HttpRequest.BodyPublishers.ofString("chirp=found")));
            EventStream.Event event = stream.nextEvent();

            assertEquals(204, posted.statusCode(), "status of a post to the configured path");
            assertEquals("found", ListItem.parse(event.data()).text(), "the chirp on the stream");
        }
        assertEquals(SseServer.fallbackBody("POST", "/chirps"), oldPost.body(), "old post path");
        assertEquals(SseServer.fallbackBody("GET", "/stream"), oldStream.body(), "old stream path");
    }

    @Test
    void closeStreamsEndsEveryOpenStream() throws Exception {
        server = SseServer.start(Guard.builder().build());

        try (EventStream one = server.stream("/stream");
                EventStream two = server.stream("/stream")) {
            one.opening();
            one.nextEvent();
            two.opening();
            two.nextEvent();
            int openBefore = server.handler().openStreams();

            server.handler().closeStreams();

            assertEquals(2, openBefore, "open streams before closing");
            assertEquals(0, server.handler().openStreams(), "open streams after closing");
            assertEquals(List.of(), one.drainUntilClosed(), "chirps before the first one ended");
            assertEquals(List.of(), two.drainUntilClosed(), "chirps before the second one ended");
        }
    }

    @Test
    void anIdleStreamGetsAHeartbeatComment() throws Exception {
        server = SseServer.start(Guard.builder().build(),
                builder -> builder.heartbeat(Duration.ofMillis(50)), undertow -> { });

        try (EventStream stream = server.stream("/stream")) {
            stream.opening();
            stream.nextEvent();
            List<String> first = stream.nextBlock();
            List<String> second = stream.nextBlock();

            assertEquals(List.of(": keep-alive"), first, "the block after a quiet spell");
            assertEquals(List.of(": keep-alive"), second, "the block after another quiet spell");
        }
    }

    @Test
    void theBuilderRejectsBadSettingsAtOnce() {
        PubSub pubSub = PubSub.inProcess();
        try (Timeline timeline = Timeline.builder().pubSub(pubSub).build()) {
            Feed feed = new Feed(timeline, pubSub, Guard.builder().build(), Identity.create(),
                    Render.create());
            SseHandler.Builder builder = SseHandler.builder(feed);

            IllegalArgumentException streamPath = assertThrows(IllegalArgumentException.class,
                    () -> builder.streamPath("stream"));
            IllegalArgumentException postPath = assertThrows(IllegalArgumentException.class,
                    () -> builder.postPath(""));
            IllegalArgumentException heartbeat = assertThrows(IllegalArgumentException.class,
                    () -> builder.heartbeat(Duration.ZERO));
            IllegalArgumentException queued = assertThrows(IllegalArgumentException.class,
                    () -> builder.maxQueuedBytes(1023));
            NullPointerException next =
                    assertThrows(NullPointerException.class, () -> builder.build(null));

            assertEquals("path must start with '/', got 'stream'", streamPath.getMessage());
            assertEquals("path must start with '/', got ''", postPath.getMessage());
            assertEquals("heartbeat must be positive, got PT0S", heartbeat.getMessage());
            assertEquals("max queued bytes must be at least 1024, got 1023", queued.getMessage());
            assertEquals("next", next.getMessage());
        }
    }
}
