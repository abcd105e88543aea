package dev.chirp.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.server.ChirpServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Redis killed and started again while two nodes take posts, on a redis-server of the test's
 * own that writes every change to its append-only file before answering.
 */
class RedisOutageTest {

    private static final String UNREACHABLE = "The server cannot reach its database right now. Try again in a moment.";

    @TempDir
    Path dir;

    private OwnRedis redis;
    private Nodes nodes;

    @AfterEach
    void stop() throws Exception {
        if (nodes != null) {
            nodes.stopAll();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void postsAreRefusedWhileRedisIsDownAndEveryAcceptedChirpReachesEveryClientAfterwards() throws Exception {
        redis = OwnRedis.start(dir);
        String prefix = TestRedis.uniquePrefix();
        nodes = new Nodes(redis.address(), prefix);
        ChirpServer a = nodes.start();
        ChirpServer b = nodes.start();
        List<LiveClient> clients = List.of(nodes.sse(a, 0), nodes.ws(a, 0), nodes.sse(b, 0), nodes.ws(b, 0));
        Poster poster = new Poster(List.of(a, b));
        CompletableFuture<Void> posting = CompletableFuture.runAsync(poster);

        poster.awaitAccepted(5);
        redis.kill();
        poster.awaitRefused(5);
        HttpResponse<String> health = nodes.get(a, "/healthz");
        HttpResponse<String> form = nodes.postForm(b, "while down");
        LiveClient.Ws socket = (LiveClient.Ws) clients.get(1);
        socket.send("{\"chirp\": \"over the socket while down\"}");
        String errorFrame = socket.awaitText("database");
        redis.restart();
        int acceptedBefore = poster.accepted().size();
        poster.awaitAccepted(acceptedBefore + 5);
        poster.stop();
        posting.get(60, TimeUnit.SECONDS);

        assertEquals(503, health.statusCode(), "health while Redis is down");
        assertEquals("cannot reach the database\n", health.body());
        assertEquals(503, form.statusCode(), "a form post while Redis is down");
        assertTrue(form.body().contains(UNREACHABLE), form.body());
        assertTrue(errorFrame.contains(UNREACHABLE), errorFrame);
        assertEquals(List.of(), poster.unexpected(), "answers other than 201 and 503");
        assertTrue(poster.refusals().stream().allMatch(body -> body.contains(UNREACHABLE)),
                poster.refusals().toString());
        List<Long> accepted = poster.accepted();
        List<Long> stream = new ArrayList<>();
        try (Jedis jedis = new Jedis(redis.address(), 2000, 2000)) {
            for (StreamEntry entry : jedis.xrange(prefix + ":feed", "-", "+")) {
                stream.add(entry.getID().getTime());
            }
        }
        assertTrue(stream.containsAll(accepted), "every acknowledged chirp is in Redis after the restart: "
                + accepted + " in " + stream);
        for (LiveClient client : clients) {
            List<Long> received = client.await("every accepted chirp", ids -> ids.containsAll(accepted));
            List<Long> sorted = new ArrayList<>(received);
            Collections.sort(sorted);
            assertEquals(sorted, received, client.name() + " got chirps out of order");
            assertEquals(received.size(), received.stream().distinct().count(), client.name() + " got repeats");
        }
        assertEquals("ok\n", nodes.get(b, "/healthz").body(), "health once Redis is back");
    }

    /** Posts through the API to the nodes in turn until stopped, noting every answer. */
    private final class Poster implements Runnable {

        private final List<ChirpServer> targets;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final List<Long> accepted = new ArrayList<>();
        private final List<String> refusals = new ArrayList<>();
        private final List<String> unexpected = new ArrayList<>();

        Poster(List<ChirpServer> targets) {
            this.targets = targets;
        }

        @Override
        public void run() {
            for (int i = 0; !stopped.get(); i++) {
                try {
                    HttpResponse<String> answer = nodes.postApi(targets.get(i % targets.size()), "chirp " + i);
                    synchronized (this) {
                        if (answer.statusCode() == 201) {
                            accepted.add(Nodes.ids(answer.body()).get(0));
                        } else if (answer.statusCode() == 503) {
                            refusals.add(answer.body());
                        } else {
                            unexpected.add(answer.statusCode() + " " + answer.body());
                        }
                        notifyAll();
                    }
                    // Keeps the refusals during the outage to a readable number.
                    Thread.sleep(answer.statusCode() == 503 ? 50 : 5);
                } catch (Exception e) {
                    synchronized (this) {
                        unexpected.add(e.toString());
                    }
                    return;
                }
            }
        }

        void stop() {
            stopped.set(true);
        }

        synchronized List<Long> accepted() {
            return List.copyOf(accepted);
        }

        synchronized List<String> refusals() {
            return List.copyOf(refusals);
        }

        synchronized List<String> unexpected() {
            return List.copyOf(unexpected);
        }

        synchronized void awaitAccepted(int count) throws InterruptedException {
            awaitUntil(() -> accepted.size() >= count, count + " accepted posts");
        }

        synchronized void awaitRefused(int count) throws InterruptedException {
            awaitUntil(() -> refusals.size() >= count, count + " refused posts");
        }

        private void awaitUntil(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
            long deadline = System.nanoTime() + LiveClient.TIMEOUT.toNanos();
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !unexpected.isEmpty()) {
                    throw new AssertionError("no " + what + " within " + LiveClient.TIMEOUT + "; accepted " + accepted
                            + ", refused " + refusals.size() + ", unexpected " + unexpected);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
