package dev.chirp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * {@code chirp serve --redis}: two processes sharing one feed through the Redis at
 * 127.0.0.1:6379, under a key prefix of their own, and a Redis that cannot be reached. Without
 * that Redis the sharing test skips, or fails when the environment sets
 * {@code CHIRP_REQUIRE_CASES=1} (as CI does).
 */
class RedisServeIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<ChirpProcess> started = new ArrayList<>();
    private final String prefix = "chirp-test:" + UUID.randomUUID();

    @TempDir
    Path dir;

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (ChirpProcess chirp : started) {
            chirp.close();
        }
        try (Jedis redis = new Jedis("127.0.0.1", 6379)) {
            redis.del(prefix + ":feed", prefix + ":secret");
        } catch (RuntimeException e) {
            // No Redis here: nothing to clean.
        }
    }

    @Test
    void anUnreachableRedisStopsStartUpWithOneLineNamingIt() throws Exception {
        ChirpProcess chirp = ChirpProcess.launch(List.of("--redis", "redis://127.0.0.1:1",
                "--dump-path", dir.resolve("chirps.dump").toString()));
        started.add(chirp);

        assertTrue(chirp.process.waitFor(60, TimeUnit.SECONDS), "chirp kept running without its Redis");
        assertEquals(1, chirp.process.exitValue(), chirp::log);
        assertEquals("chirp: cannot reach Redis at redis://127.0.0.1:1: Connection refused\n", chirp.log());
    }

    @Test
    void twoProcessesOnOneRedisServeOneFeed() throws Exception {
        requireLocalRedis();
        List<String> args = List.of("--redis", "redis://127.0.0.1:6379", "--redis-prefix", prefix);
        ChirpProcess first = ChirpProcess.start(args);
        started.add(first);
        ChirpProcess second = ChirpProcess.start(args);
        started.add(second);

        assertEquals(204, first.post(http, "posted on the first").statusCode());
        assertEquals(204, second.post(http, "posted on the second").statusCode());
        HttpResponse<String> feed = http.send(HttpRequest.newBuilder(second.uri("/api/chirps")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertTrue(feed.body().matches("\\[\\{\"id\":\\d+,\"handle\":\"[^\"]+\",\"text\":\"posted on the second\".*"
                + "\"text\":\"posted on the first\".*\\]"), feed.body());
        assertEquals(List.of("posted on the first", "posted on the second"),
                first.feed(http).stream().map(ChirpProcess.Item::text).toList(), "the first process's page");
        assertTrue(first.log().contains("feed: Redis redis://127.0.0.1:6379, stream chirp-test:"), first.log());
    }

    private static void requireLocalRedis() {
        try {
            new Socket("127.0.0.1", 6379).close();
        } catch (IOException e) {
            if ("1".equals(System.getenv("CHIRP_REQUIRE_CASES"))) {
                fail("CHIRP_REQUIRE_CASES=1 but no Redis listens on 127.0.0.1:6379");
            }
            Assumptions.abort("no Redis on 127.0.0.1:6379 (set CHIRP_REQUIRE_CASES=1 to make this a failure)");
        }
    }
}
