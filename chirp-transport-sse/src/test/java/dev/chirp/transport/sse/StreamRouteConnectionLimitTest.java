package dev.chirp.transport.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.guard.ConnectionLimit;
import dev.chirp.core.guard.Guard;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Streams count against the feed's connection limit. */
class StreamRouteConnectionLimitTest {

    private static final String REFUSAL =
            "Chirp is serving as many live connections as it can (2); try again in a moment.";
    private static final List<String> OPENING = List.of("retry: 2000");

    private SseServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aStreamBeyondTheLimitGets503WithRetryAfterAndTheReason() throws Exception {
        server = SseServer.start(Guard.builder().build(), ConnectionLimit.of(2),
                builder -> builder);

        try (EventStream one = server.stream("/stream");
                EventStream two = server.stream("/stream")) {
            one.opening();
            two.opening();
            try (EventStream third = server.stream("/stream")) {
                String body = third.nextLine();

                assertEquals(503, third.status(), "status of the third stream");
                assertEquals("2", third.header("Retry-After").orElse(null), "Retry-After");
                assertEquals("text/plain; charset=UTF-8", third.header("Content-Type").orElse(null),
                        "content type of the refusal");
                assertEquals(REFUSAL, body, "body of the refusal");
                assertEquals(2, server.handler().openStreams(), "open streams");
                assertEquals(2, server.feed().connections().open(), "live connections counted");
            }
        }
    }

    @Test
    void aStreamItsClientClosedMakesRoomForANewOne() throws Exception {
        // The server notices a client that left when it next writes: soon, with a short heartbeat.
        server = SseServer.start(Guard.builder().build(), ConnectionLimit.of(2),
                builder -> builder.heartbeat(Duration.ofMillis(200)));

        try (EventStream staying = server.stream("/stream")) {
            staying.opening();
            try (EventStream leaving = server.stream("/stream")) {
                leaving.opening();
            }
            boolean released = server.awaitOpenConnections(1);
            try (EventStream next = server.stream("/stream")) {
                List<String> opening = next.opening();

                assertTrue(released, "live connections counted after one client closed: "
                        + server.feed().connections().open());
                assertEquals(200, next.status(), "status of the stream opened in its place");
                assertEquals(OPENING, opening, "its first block");
                assertEquals(2, server.handler().openStreams(), "open streams");
            }
        }
    }
}
