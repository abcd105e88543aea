package dev.chirp.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.guard.ConnectionLimit;
import dev.chirp.core.guard.Guard;
import dev.chirp.transport.sse.SseHandler;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sockets count against the feed's connection limit, together with any other transport. */
class WsHandlerConnectionLimitTest {

    private static final String EMPTY_FEED = "<div hx-swap-oob=\"innerHTML:#feed\"></div>";
    private static final String REFUSAL =
            "Chirp is serving as many live connections as it can (2); try again in a moment.\n";

    private WsServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aHandshakeBeyondTheLimitGets503WithRetryAfterAndTheReason() throws Exception {
        server = WsServer.start(Guard.builder().build(), ConnectionLimit.of(2));

        try (WsClient one = server.connect("/socket"); WsClient two = server.connect("/socket")) {
            one.nextFrame();
            two.nextFrame();
            try (RawWebSocket third = RawWebSocket.open(new Socket(), server.port(), "")) {
                String head = third.head();
                String body = third.body();

                assertTrue(head.startsWith("HTTP/1.1 503 "), "status line: " + head);
                assertTrue(head.contains("\r\nRetry-After: 2\r\n"), "Retry-After in: " + head);
                assertEquals(REFUSAL, body, "body of the refusal");
                assertEquals(2, server.handler().openSockets(), "open sockets");
                assertEquals(2, server.feed().connections().open(), "live connections counted");
            }
        }
    }

    @Test
    void aSocketItsClientClosedMakesRoomForANewOne() throws Exception {
        server = WsServer.start(Guard.builder().build(), ConnectionLimit.of(2));

        try (WsClient staying = server.connect("/socket")) {
            staying.nextFrame();
            try (WsClient leaving = server.connect("/socket")) {
                leaving.nextFrame();
            }
            boolean released = server.awaitOpenConnections(1);
            try (WsClient next = server.connect("/socket")) {
                String first = next.nextFrame();

                assertTrue(released, "live connections counted after one client closed: "
                        + server.feed().connections().open());
                assertEquals(EMPTY_FEED, first, "the first frame of the socket in its place");
                assertEquals(2, server.handler().openSockets(), "open sockets");
            }
        }
    }

    @Test
    void aPlainGetOnTheSocketPathLeavesNoConnectionCounted() throws Exception {
        server = WsServer.start(Guard.builder().build(), ConnectionLimit.of(2));
        List<Integer> statuses = new ArrayList<>();

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> plain =
                    server.send(HttpRequest.newBuilder(server.http("/socket")));
            statuses.add(plain.statusCode());
        }
        int countedAfterwards = server.feed().connections().open();

        assertEquals(List.of(400, 400, 400, 400, 400), statuses, "statuses of the plain GETs");
        assertEquals(0, countedAfterwards, "live connections counted after the plain GETs");
        try (WsClient one = server.connect("/socket"); WsClient two = server.connect("/socket")) {
            assertEquals(EMPTY_FEED, one.nextFrame(), "the first socket's first frame");
            assertEquals(EMPTY_FEED, two.nextFrame(), "the second socket's first frame");
        }
    }

    @Test
    void clientsThatResetWhileTheirHandshakeIsAnsweredLeaveNoConnectionCounted()
            throws Exception {
        server = WsServer.start(Guard.builder().build(), ConnectionLimit.of(2));
        int resets = 20;

        for (int i = 0; i < resets; i++) {
            RawWebSocket.abandon(server.port());
        }
        boolean arrived = Poll.until(() -> server.requestsStarted() >= resets, WsServer.TIMEOUT);
        boolean released = server.awaitOpenConnections(0);

        assertTrue(arrived, "handshakes the server began to handle: " + server.requestsStarted());
        assertTrue(released, "live connections counted after " + resets + " clients left: "
                + server.feed().connections().open());
        assertEquals(0, server.handler().openSockets(), "open sockets");
        try (WsClient one = server.connect("/socket"); WsClient two = server.connect("/socket")) {
            assertEquals(EMPTY_FEED, one.nextFrame(), "the first socket's first frame");
            assertEquals(EMPTY_FEED, two.nextFrame(), "the second socket's first frame");
        }
    }

    @Test
    void streamsAndSocketsOnOneFeedShareItsLimit() throws Exception {
        // A short heartbeat lets the SSE transport notice soon that a stream's client left.
        server = WsServer.start(Guard.builder().build(), ConnectionLimit.of(2),
                (feed, fallback) -> SseHandler.builder(feed)
                        .heartbeat(Duration.ofMillis(200))
                        .build(fallback));

        try (WsClient socket = server.connect("/socket");
                RawStream stream = RawStream.open(server.port());
                RawWebSocket refusedSocket = RawWebSocket.open(new Socket(), server.port(), "");
                RawStream refusedStream = RawStream.open(server.port())) {
            String first = socket.nextFrame();
            String refusedSocketBody = refusedSocket.body();
            String refusedStreamBody = refusedStream.body();
            stream.close();
            boolean released = server.awaitOpenConnections(1);
            try (WsClient next = server.connect("/socket")) {
                String nextFirst = next.nextFrame();

                assertEquals(EMPTY_FEED, first, "the first frame of the socket");
                assertTrue(stream.head().startsWith("HTTP/1.1 200 "),
                        "the second connection, a stream: " + stream.head());
                assertTrue(refusedSocket.head().startsWith("HTTP/1.1 503 "),
                        "the third connection, a socket: " + refusedSocket.head());
                assertEquals(REFUSAL, refusedSocketBody, "body of the socket's refusal");
                assertTrue(refusedStream.head().startsWith("HTTP/1.1 503 "),
                        "the third connection, a stream: " + refusedStream.head());
                assertTrue(refusedStream.head().contains("\r\nRetry-After: 2\r\n"),
                        "Retry-After in: " + refusedStream.head());
                assertEquals(REFUSAL, refusedStreamBody, "body of the stream's refusal");
                assertTrue(released, "live connections counted after the stream's client left: "
                        + server.feed().connections().open());
                assertEquals(EMPTY_FEED, nextFirst, "the first frame of the socket in its place");
            }
        }
    }
}
