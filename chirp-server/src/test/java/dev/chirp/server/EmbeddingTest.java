package dev.chirp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chirp mounted into an Undertow server that an application already owns. */
class EmbeddingTest {

    @TempDir
    Path tempDir;

    @Test
    void mountedChirpServesItsRoutesAndPassesTheRestToTheApplication() throws Exception {
        Path dump = tempDir.resolve("chirps.dump");
        ChirpServer chirp = ChirpServer.builder()
                .dumpPath(dump)
                .transports(Set.of(Transport.SSE))
                .build();
        Undertow application = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(chirp.handler(exchange -> exchange.getResponseSender().send("the application's own")))
                .build();
        application.start();

        try {
            int port = ((InetSocketAddress) application.getListenerInfo().get(0).getAddress()).getPort();
            Visitor visitor = new Visitor(Visitor.newHttpClient(), port);
            HttpResponse<String> page = visitor.visit();
            visitor.postAccepted("posted through a mounted Chirp");
            HttpResponse<String> own = visitor.get("/reports/today");

            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("sse-connect=\"/stream\""), page::body);
            assertEquals("the application's own", own.body());
            assertEquals(1, chirp.feed().store().chirps().size(), "chirps in the feed");
        } finally {
            chirp.close();
            application.stop();
        }

        assertTrue(Files.readString(dump).contains("posted through a mounted Chirp"),
                "close() should flush the feed of a mounted Chirp");
    }
}
