package dev.chirp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.store.Fsync;
import dev.chirp.core.store.Timeline;
import io.undertow.Undertow;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /healthz}: ok while serving; 503 while stopping or while the dump cannot be written. */
class HealthHandlerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tempDir;

    private final HttpClient http = Visitor.newHttpClient();

    @Test
    void answersOkWhileServing() throws Exception {
        try (ChirpServer server = start(tempDir.resolve("chirps.dump"))) {
            HttpResponse<String> health = get(server.port(), "/healthz");

            assertEquals(200, health.statusCode());
            assertEquals("ok\n", health.body());
            assertEquals("no-store", health.headers().firstValue("cache-control").orElse(""));
        }
    }

    @Test
    void answers503WhileTheServerShutsDown() throws Exception {
        ChirpServer server = start(tempDir.resolve("chirps.dump"));
        CompletableFuture<Void> closing;
        // A post whose body never comes holds the shutdown in its drain for a while.
        try (Socket stalled = new Socket()) {
            stalled.connect(new InetSocketAddress("127.0.0.1", server.port()));
            OutputStream out = stalled.getOutputStream();
            out.write(("POST /chirps HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded"
                    + "\r\nContent-Length: 100\r\n\r\nchirp=").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitRequestInFlight(server);

            closing = CompletableFuture.runAsync(server::close);
            HttpResponse<String> health = awaitStatus(server.port(), "/healthz", 503);
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri(server.port(), "/api/chirps"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"chirp\": \"too late\"}"))
                    .timeout(WAIT)
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertEquals("shutting down\n", health.body());
            assertEquals(503, post.statusCode(), post::body);
            assertEquals("{\"error\":\"Chirp is shutting down; try again shortly.\"}", post.body());
            assertEquals("2", post.headers().firstValue("retry-after").orElse(""), "Retry-After");
        }
        closing.get();
    }

    @Test
    void answers503OnceAnEmbeddedChirpIsClosedWhileTheApplicationServesOn() throws Exception {
        ChirpServer chirp = ChirpServer.builder().dumpPath(tempDir.resolve("chirps.dump")).build();
        Undertow application = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(chirp.handler(exchange -> exchange.getResponseSender().send("the application")))
                .build();
        application.start();
        try {
            int port = ((InetSocketAddress) application.getListenerInfo().get(0).getAddress()).getPort();
            assertEquals(200, get(port, "/healthz").statusCode(), "healthy while mounted");

            chirp.close();
            HttpResponse<String> health = get(port, "/healthz");
            HttpResponse<String> list = get(port, "/api/chirps");
            HttpResponse<String> other = get(port, "/elsewhere");

            assertEquals(503, health.statusCode());
            assertEquals("shutting down\n", health.body());
            assertEquals(503, list.statusCode());
            assertEquals("{\"error\":\"Chirp is shutting down; try again shortly.\"}", list.body());
            assertEquals("the application", other.body(), "the application's own routes go on");
        } finally {
            application.stop();
        }
    }

    @Test
    void answers503WhileTheDumpCannotBeWrittenAndOkOnceItCanAgain() throws Exception {
        Path folder = Files.createDirectory(tempDir.resolve("feed"));
        // Without a journal the dump is the only place chirps are written to.
        try (ChirpServer server = ChirpServer.builder().host("127.0.0.1").port(0)
                .dumpPath(folder.resolve("chirps.dump")).fsync(Fsync.OFF).noRateLimit().build().start()) {
            new Visitor(http, server.port()).postAccepted("needs writing");
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(folder);

            assertThrows(IOException.class, () -> ((Timeline) server.feed().store()).flush(), "the folder is gone");
            HttpResponse<String> failing = get(server.port(), "/healthz");
            Files.createDirectory(folder);
            ((Timeline) server.feed().store()).flush();
            HttpResponse<String> recovered = get(server.port(), "/healthz");

            assertEquals(503, failing.statusCode());
            assertEquals("cannot write the feed to disk\n", failing.body());
            assertEquals(200, recovered.statusCode(), "a later write worked");
        }
    }

    @Test
    void otherMethodsGet405() throws Exception {
        try (ChirpServer server = start(tempDir.resolve("chirps.dump"))) {
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri(server.port(), "/healthz"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(WAIT)
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(StatusCodes.METHOD_NOT_ALLOWED, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("allow").orElse(""));
        }
    }

    /**
     * Gives the server a round trip to take in the stalled post, which is written first; the
     * drain then waits up to 2 seconds for it, the window in which the test asks for health.
     */
    private void awaitRequestInFlight(ChirpServer server) throws Exception {
        assertEquals(200, get(server.port(), "/healthz").statusCode());
    }

    private HttpResponse<String> awaitStatus(int port, String path, int status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            HttpResponse<String> answer = get(port, path);
            if (answer.statusCode() == status || System.nanoTime() > deadline) {
                assertEquals(status, answer.statusCode(), () -> path + " answered " + answer.body());
                return answer;
            }
            Thread.onSpinWait();
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(port, path)).GET().timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static ChirpServer start(Path dump) {
        return ChirpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .dumpPath(dump)
                .noRateLimit()
                .build()
                .start();
    }
}
