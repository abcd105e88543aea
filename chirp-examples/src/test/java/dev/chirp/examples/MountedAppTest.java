package dev.chirp.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountedAppTest {

    @TempDir
    Path dir;

    @Test
    void aChirpSentOverTheSocketArrivesLiveOnTheStreamAndTheSocket() throws Exception {
        Path dump = dir.resolve("chirps.dump");
        MountedApp app = MountedApp.start(0, dump);

        try (LiveFeed listener = new LiveFeed(app.port()); LiveFeed poster = new LiveFeed(app.port())) {
            listener.followStream();
            poster.openSocket();
            poster.sendOverSocket("hello from inside the application");

            String event = listener.awaitContaining("hello from inside the application");
            String frame = poster.awaitContaining("hello from inside the application");

            assertTrue(event.startsWith("data: <li class=\"chirp\""), () -> "not a chirp event: " + event);
            assertTrue(frame.contains("hx-swap-oob=\"afterbegin:#feed\""), () -> "not a feed fragment: " + frame);
        } finally {
            app.close();
        }

        assertTrue(Files.readString(dump).contains("hello from inside the application"), "the feed was not flushed");
    }

    @Test
    void theApplicationKeepsItsOwnRouteBesideChirpsPage() throws Exception {
        MountedApp app = MountedApp.start(0, dir.resolve("chirps.dump"));

        try (LiveFeed client = new LiveFeed(app.port())) {
            HttpResponse<String> own = client.get("/hello");
            HttpResponse<String> page = client.get("/");
            HttpResponse<String> unknown = client.get("/nowhere");

            assertEquals(200, own.statusCode());
            assertEquals("Hello from the application\n", own.body());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("id=\"feed\""), page::body);
            assertEquals(404, unknown.statusCode(), "a path neither serves");
        } finally {
            app.close();
        }
    }
}
