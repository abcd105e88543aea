package dev.chirp.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.Feed;
import dev.chirp.core.guard.Guard;
import dev.chirp.core.identity.Identity;
import dev.chirp.core.pubsub.PubSub;
import dev.chirp.core.render.Render;
import dev.chirp.core.store.Timeline;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WsHandlerTest {

    private static final String CROSS_SITE =
            "WebSocket connections are only accepted from this site's own page.\n";
    private static final String EMPTY_FEED = "<div hx-swap-oob=\"innerHTML:#feed\"></div>";

    private WsServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Origin|https://evil.example",
        "Origin|http://127.0.0.1:1",
        "Origin|null",
        "Origin|https://127.0.0.1",
        "Origin|http://127.0.0.1.evil.example",
        "Sec-Fetch-Site|cross-site",
    })
    void aCrossSiteHandshakeIs403(String header, String value) throws Exception {
        server = WsServer.start(Guard.builder().build());

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> server.connect("/socket", header, value));

        assertTrue(failed.getCause() instanceof WebSocketHandshakeException,
                "cause: " + failed.getCause());
        WebSocketHandshakeException refused = (WebSocketHandshakeException) failed.getCause();
        assertEquals(403, refused.getResponse().statusCode(), "status of the refused handshake");
        assertEquals(0, server.handler().openSockets(), "open sockets");
    }

    @Test
    void aCrossSiteHandshakeIsToldWhy() throws Exception {
        server = WsServer.start(Guard.builder().build());

        try (RawWebSocket refused = RawWebSocket.open(new Socket(), server.port(),
                "Origin: https://evil.example\r\n")) {
            assertTrue(refused.head().startsWith("HTTP/1.1 403 "), "head: " + refused.head());
            assertEquals(CROSS_SITE, refused.body(), "body of the refusal");
        }
    }

    @Test
    void anHttpsPageOnTheSameHostAndPortIsAnotherOrigin() throws Exception {
        server = WsServer.start(Guard.builder().build());

        try (RawWebSocket refused = RawWebSocket.open(new Socket(), server.port(),
                "Origin: " + server.ownOrigin().replace("http:", "https:") + "\r\n")) {
            assertTrue(refused.head().startsWith("HTTP/1.1 403 "), "head: " + refused.head());
        }
    }

    @Test
    void anAllowedOriginMayConnect() throws Exception {
        server = WsServer.start(Guard.builder().allowedOrigins(List.of("https://chirp.example")).build());

        try (RawWebSocket accepted = RawWebSocket.open(new Socket(), server.port(),
                "Origin: https://chirp.example\r\n")) {
            assertTrue(accepted.head().startsWith("HTTP/1.1 101 "), "head: " + accepted.head());
        }
    }

    @Test
    void aHandshakeWithAnAlteredCookieGetsANewOne() throws Exception {
        server = WsServer.start(Guard.builder().build());
        String signed = server.signedCookie("calmotter7");
        String altered = signed.substring(0, signed.length() - 2) + (signed.endsWith("xx") ? "yy" : "xx");

        try (RawWebSocket accepted = RawWebSocket.open(new Socket(), server.port(),
                "Origin: " + server.ownOrigin() + "\r\nCookie: " + altered + "\r\n")) {
            assertTrue(accepted.head().startsWith("HTTP/1.1 101 "), "status line: " + accepted.head());
            assertTrue(accepted.head().contains("\r\nSet-Cookie: handle="), "a new cookie in: " + accepted.head());
        }
    }

    @Test
    void aHandshakeWithItsSignedCookieGetsNoNewOne() throws Exception {
        server = WsServer.start(Guard.builder().build());

        try (RawWebSocket accepted = RawWebSocket.open(new Socket(), server.port(),
                "Origin: " + server.ownOrigin() + "\r\nCookie: " + server.signedCookie("calmotter7") + "\r\n")) {
            assertTrue(accepted.head().startsWith("HTTP/1.1 101 "), "status line: " + accepted.head());
            assertFalse(accepted.head().contains("Set-Cookie"), "no new cookie in: " + accepted.head());
        }
    }

    @Test
    void aHandshakeFromTheOwnPageIsAccepted() throws Exception {
        server = WsServer.start(Guard.builder().build());

        try (WsClient client = server.connect("/socket", "Origin", server.ownOrigin(),
                "Sec-Fetch-Site", "same-origin")) {
            assertEquals(EMPTY_FEED, client.nextFrame(), "the first frame");
            assertEquals(1, server.handler().openSockets(), "open sockets");
        }
    }

    @Test
    void aHandshakeWithoutCookieSetsTheIdentityCookie() throws Exception {
        server = WsServer.start(Guard.builder().build());

        try (RawWebSocket accepted = RawWebSocket.open(new Socket(), server.port(),
                "Origin: " + server.ownOrigin() + "\r\n")) {
            String head = accepted.head();
            assertTrue(head.startsWith("HTTP/1.1 101 "), "status line: " + head);
            assertTrue(head.matches("(?s).*\r\nSet-Cookie: handle=[a-z]+[1-9][0-9]{0,4}\\.[0-9]+\\.[A-Za-z0-9_-]{43};"
                    + " Max-Age=86400; Path=/; HttpOnly; SameSite=Lax\r\n.*"),
                    "the identity cookie in: " + head);
        }
    }

    @Test
    void aPlainGetOnTheSocketPathIs400() throws Exception {
        server = WsServer.start(Guard.builder().build());

        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.http("/socket")));

        assertEquals(400, response.statusCode(), "status: " + response.body());
        assertEquals("This address takes WebSocket connections only.\n", response.body(), "body");
    }

    @ParameterizedTest
    @CsvSource({
        "GET, /",
        "GET, /elsewhere",
        "GET, /socket/more",
        "POST, /chirps",
        "GET, /stream",
    })
    void passesEveryOtherRequestToTheNextHandler(String method, String path) throws Exception {
        server = WsServer.start(Guard.builder().build());

        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.http(path))
                .method(method, HttpRequest.BodyPublishers.noBody()));

        assertEquals(200, response.statusCode(), "status from the fallback");
        assertEquals(WsServer.fallbackBody(method, path), response.body(), "body");
    }

    @Test
    void servesTheSocketAtTheConfiguredPath() throws Exception {
        server = WsServer.start(Guard.builder().build(), builder -> builder.path("/live"));

        HttpResponse<String> old = server.send(HttpRequest.newBuilder(server.http("/socket")));
        try (WsClient client = server.connect("/live")) {
            assertEquals(EMPTY_FEED, client.nextFrame(), "the first frame");
        }
        assertEquals(WsServer.fallbackBody("GET", "/socket"), old.body(), "the default path");
    }

    @Test
    void closeSocketsClosesEveryOpenSocketWith1012() throws Exception {
        server = WsServer.start(Guard.builder().build());

        try (WsClient one = server.connect("/socket"); WsClient two = server.connect("/socket")) {
            one.nextFrame();
            two.nextFrame();
            int openBefore = server.handler().openSockets();

            server.handler().closeSockets();

            assertEquals(2, openBefore, "open sockets before closing");
            for (WsClient client : List.of(one, two)) {
                WsClient.Closing closing = client.awaitClosing();
                assertEquals(1012, closing.code(), "close code");
                assertEquals("server restarting", closing.reason(), "close reason");
            }
        }
    }

    @Test
    void awaitSocketsClosedReturnsOnceClosedSocketsAreGone() throws Exception {
        server = WsServer.start(Guard.builder().build());

        try (WsClient one = server.connect("/socket"); WsClient two = server.connect("/socket")) {
            one.nextFrame();
            two.nextFrame();
            boolean closedWhileOpen = server.handler().awaitSocketsClosed(Duration.ofMillis(50));

            server.handler().closeSockets();
            boolean closedAfterClosing = server.handler().awaitSocketsClosed(WsServer.TIMEOUT);

            assertFalse(closedWhileOpen, "all closed while two were open");
            assertTrue(closedAfterClosing, "all closed after closeSockets()");
            assertEquals(0, server.handler().openSockets(), "open sockets");
            assertEquals(1012, one.awaitClosing().code(), "the first close code");
            assertEquals(1012, two.awaitClosing().code(), "the second close code");
        }
    }

    @Test
    void theBuilderRejectsBadSettingsAtOnce() {
        PubSub pubSub = PubSub.inProcess();
        try (Timeline timeline = Timeline.builder().pubSub(pubSub).build()) {
            Feed feed = new Feed(timeline, pubSub, Guard.builder().build(), Identity.create(),
                    Render.create());
            WsHandler.Builder builder = WsHandler.builder(feed);

            IllegalArgumentException path =
                    assertThrows(IllegalArgumentException.class, () -> builder.path("socket"));
            IllegalArgumentException frame = assertThrows(IllegalArgumentException.class,
                    () -> builder.maxFrameBytes(1023));
            IllegalArgumentException queued = assertThrows(IllegalArgumentException.class,
                    () -> builder.maxQueuedBytes(1023));
            NullPointerException next =
                    assertThrows(NullPointerException.class, () -> builder.build(null));

            assertEquals("path must start with '/', got 'socket'", path.getMessage());
            assertEquals("max frame bytes must be at least 1024, got 1023", frame.getMessage());
            assertEquals("max queued bytes must be at least 1024, got 1023", queued.getMessage());
            assertEquals("next", next.getMessage());
        }
    }
}
