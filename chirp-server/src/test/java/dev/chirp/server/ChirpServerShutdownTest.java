package dev.chirp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What live clients see when {@link ChirpServer#close()} stops the server: the feed is on disk
 * first, then event streams end and sockets close with code 1012, so that a client which
 * reconnects to the next server on the same dump finds every chirp it may have missed.
 */
class ChirpServerShutdownTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int SERVICE_RESTART = 1012;
    private static final int ROUNDS = 150;

    @TempDir
    Path tempDir;

    private final HttpClient http = Visitor.newHttpClient();
    private ChirpServer server;
    private Visitor visitor;

    @BeforeEach
    void startServer() throws Exception {
        server = start();
        visitor = new Visitor(http, server.port());
        visitor.visit();
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    @Test
    void closeEndsEventStreamsCleanlyOnceTheFeedIsOnDisk() throws Exception {
        try (SseClient stream = visitor.stream()) {
            visitor.postAccepted("posted just before close");
            stream.awaitChirp("posted just before close", WAIT);
            String dumpBefore = dumpText();

            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            String ending = stream.awaitEnd(WAIT);
            String dumpAtEnd = dumpText();
            closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertFalse(dumpBefore.contains("posted just before close"),
                    "the chirp is not on disk before close(): " + dumpBefore);
            assertEquals(SseClient.END_OF_STREAM, ending, "how the stream ended");
            assertTrue(dumpAtEnd.contains("posted just before close"),
                    "the dump when the stream ended: " + dumpAtEnd);
        }
    }

    @Test
    void closeClosesSocketsWithServiceRestartOnceTheFeedIsOnDisk() throws Exception {
        try (WsClient socket = visitor.socket()) {
            visitor.postAccepted("posted just before close");
            socket.awaitFrame("posted just before close", WAIT);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            int code = socket.awaitCloseCode(WAIT);
            String dumpAtClose = dumpText();
            closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertEquals(SERVICE_RESTART, code, "the close code, after which pages reconnect");
            assertTrue(dumpAtClose.contains("posted just before close"),
                    "the dump when the socket closed: " + dumpAtClose);
        }
    }

    /**
     * The server learns of a socket only after the client has its handshake answer, and
     * Undertow may stop before a close frame is out: both races are rare, so the test gives
     * them many chances, with two sockets opened just before each of many closes.
     */
    @Test
    void everySocketOpenWhenTheServerClosesGetsServiceRestart() throws Exception {
        Map<String, Integer> endings = new TreeMap<>();

        for (int round = 0; round < ROUNDS; round++) {
            // In memory only: without a flush to wait for, close() follows the handshake closely.
            try (ChirpServer next = ChirpServer.builder().host("127.0.0.1").port(0).build().start();
                    WsClient first = new Visitor(http, next.port()).socket();
                    WsClient second = new Visitor(http, next.port()).socket()) {
                next.close();
                for (WsClient socket : List.of(first, second)) {
                    endings.merge(ending(socket), 1, Integer::sum);
                }
            }
        }

        assertEquals(Map.of("code " + SERVICE_RESTART, 2 * ROUNDS), endings,
                "how the sockets ended");
    }

    private ChirpServer start() {
        return ChirpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .dumpPath(dump())
                // Only close() flushes during a test, so a chirp on disk was put there by it.
                .flushEvery(Duration.ofHours(1))
                .noRateLimit()
                .build()
                .start();
    }

    private static String ending(WsClient socket) throws InterruptedException {
        try {
            return "code " + socket.awaitCloseCode(WAIT);
        } catch (AssertionError e) {
            return e.getMessage();
        }
    }

    private Path dump() {
        return tempDir.resolve("chirps.dump");
    }

    /** Returns the dump as it is on disk now, or an empty text if there is none yet. */
    private String dumpText() throws IOException {
        return Files.exists(dump()) ? Files.readString(dump(), StandardCharsets.UTF_8) : "";
    }
}
