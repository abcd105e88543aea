package dev.chirp.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.server.ChirpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneAppTest {

    @TempDir
    Path dir;

    @Test
    void aPostedChirpArrivesLiveOnTheEventStream() throws Exception {
        Path dump = dir.resolve("chirps.dump");
        ChirpServer chirp = StandaloneApp.start(0, dump);

        try (LiveFeed feed = new LiveFeed(chirp.port())) {
            feed.followStream();
            int status = feed.post("hello from the standalone example");
            String event = feed.awaitContaining("hello from the standalone example");

            assertEquals(204, status, "POST /chirps");
            assertTrue(event.startsWith("data: <li class=\"chirp\""), () -> "not a chirp event: " + event);
        } finally {
            chirp.close();
        }

        assertTrue(Files.readString(dump).contains("hello from the standalone example"), "the feed was not flushed");
    }

    @Test
    void servesOnlyTheTransportItChose() throws Exception {
        ChirpServer chirp = StandaloneApp.start(0, dir.resolve("chirps.dump"));

        try (LiveFeed feed = new LiveFeed(chirp.port())) {
            String page = feed.get("/").body();
            int socket = feed.get("/socket").statusCode();

            assertTrue(page.contains("sse-connect=\"/stream\""), page);
            assertTrue(!page.contains("ws-connect"), page);
            assertEquals(404, socket, "GET /socket with only SSE on");
        } finally {
            chirp.close();
        }
    }
}
