package dev.chirp.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.server.ChirpServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes behind an imaginary load balancer, sharing one feed through one Redis. */
class SeveralNodesTest {

    private URI redis;
    private Nodes nodes;

    @BeforeEach
    void startRedis() {
        redis = TestRedis.address();
        nodes = new Nodes(redis, TestRedis.uniquePrefix());
    }

    @AfterEach
    void stop() throws Exception {
        nodes.close();
    }

    @Test
    void chirpsPostedOnBothNodesAtOnceReachEveryClientOnceInOneOrder() throws Exception {
        ChirpServer a = nodes.start();
        ChirpServer b = nodes.start();
        List<LiveClient> clients = List.of(nodes.sse(a, 0), nodes.ws(a, 0), nodes.sse(b, 0), nodes.ws(b, 0));
        int perPoster = 15;
        List<Callable<List<Long>>> posters = new ArrayList<>();
        for (ChirpServer node : List.of(a, b)) {
            for (String route : List.of("api", "form")) {
                posters.add(() -> post(node, route, perPoster));
            }
        }

        ExecutorService pool = Executors.newFixedThreadPool(posters.size());
        List<Long> accepted = new ArrayList<>();
        try {
            for (Future<List<Long>> posted : pool.invokeAll(posters)) {
                accepted.addAll(posted.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        int total = perPoster * posters.size();
        List<Long> order = clients.get(0).awaitCount(total);
        assertEquals(total, new HashSet<>(order).size(), "each chirp once: " + order);
        List<Long> sorted = new ArrayList<>(order);
        Collections.sort(sorted);
        assertEquals(sorted, order, "clients get chirps in id order");
        for (LiveClient client : clients) {
            assertEquals(order, client.awaitCount(total), client.name() + " got another order or more chirps");
        }
        List<Long> apiIds = accepted.stream().filter(id -> id > 0).toList();
        assertTrue(order.containsAll(apiIds), "every chirp the API acknowledged is delivered");
        List<Long> feed = Nodes.ids(nodes.get(b, "/api/chirps?limit=100").body());
        List<Long> newestFirst = new ArrayList<>(order);
        Collections.reverse(newestFirst);
        assertEquals(newestFirst, feed, "node B's feed");
        assertEquals(newestFirst, Nodes.ids(nodes.get(a, "/api/chirps?limit=100").body()), "node A's feed");
    }

    @Test
    void anEventStreamResumesOnTheOtherNodeWithoutGapOrRepeat() throws Exception {
        ChirpServer a = nodes.start();
        ChirpServer b = nodes.start();
        LiveClient onA = nodes.sse(a, 0);
        List<Long> first = List.of(id(nodes.postApi(a, "one")), id(nodes.postApi(b, "two")));
        long lastSeen = onA.awaitCount(2).get(1);
        onA.close();
        List<Long> missed = List.of(id(nodes.postApi(a, "three")), id(nodes.postApi(b, "four")));

        LiveClient onB = nodes.sse(b, lastSeen);
        long live = id(nodes.postApi(a, "five"));

        assertEquals(first, onA.ids(), "what the client saw on node A");
        assertEquals(List.of(missed.get(0), missed.get(1), live), onB.awaitCount(3),
                "node B sends what was missed, then live chirps");
    }

    @Test
    void aWebSocketResumesOnTheOtherNodeWithoutGapOrRepeat() throws Exception {
        ChirpServer a = nodes.start();
        ChirpServer b = nodes.start();
        LiveClient onA = nodes.ws(a, 0);
        long firstId = id(nodes.postApi(b, "one"));
        long lastSeen = onA.awaitCount(1).get(0);
        onA.close();
        long missed = id(nodes.postApi(a, "two"));

        LiveClient onB = nodes.ws(b, lastSeen);
        long live = id(nodes.postApi(b, "three"));

        assertEquals(firstId, lastSeen);
        assertEquals(List.of(missed, live), onB.awaitCount(2), "node B sends what was missed, then live chirps");
    }

    @Test
    void aNodeCutOffFromRedisCatchesUpWithWhatOthersPostedMeanwhile() throws Exception {
        try (CuttableLink link = CuttableLink.to(redis)) {
            ChirpServer cutOff = nodes.start(link.address());
            ChirpServer other = nodes.start();
            List<LiveClient> clients = List.of(nodes.sse(cutOff, 0), nodes.ws(cutOff, 0));
            long before = id(nodes.postApi(other, "before"));
            for (LiveClient client : clients) {
                client.awaitCount(1);
            }

            link.cut();
            nodes.awaitHealth(cutOff, "cannot reach the database\n");
            HttpResponse<String> refused = nodes.postApi(cutOff, "while cut off");
            List<Long> meanwhile = List.of(id(nodes.postApi(other, "one")), id(nodes.postApi(other, "two")),
                    id(nodes.postApi(other, "three")));
            String otherHealth = nodes.get(other, "/healthz").body();
            link.mend();
            nodes.awaitHealth(cutOff, "ok\n");

            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("{\"error\":\"The server cannot reach its database right now. Try again in a moment.\"}",
                    refused.body().replaceAll("\\s", " ").replace(": ", ":"));
            assertEquals("ok\n", otherHealth, "the node that still reaches Redis");
            List<Long> expected = new ArrayList<>(List.of(before));
            expected.addAll(meanwhile);
            for (LiveClient client : clients) {
                assertEquals(expected, client.awaitCount(4), client.name() + " after the node caught up");
            }
            assertEquals(List.of(meanwhile.get(2), meanwhile.get(1), meanwhile.get(0), before),
                    Nodes.ids(nodes.get(cutOff, "/api/chirps").body()), "the cut-off node's feed");
        }
    }

    @Test
    void aVisitorKeepsTheirHandleOnEveryNodeThroughTheSecretKeptInRedis() throws Exception {
        ChirpServer a = nodes.start();
        ChirpServer b = nodes.start();
        HttpResponse<String> page = nodes.get(a, "/");
        String cookie = page.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        String handle = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf('.'));

        HttpResponse<String> posted = nodes.http.send(java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + b.port() + "/api/chirps"))
                        .header("Content-Type", "application/json")
                        .header("Cookie", cookie)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"chirp\": \"same me\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(201, posted.statusCode(), posted.body());
        assertTrue(posted.body().contains("\"handle\":\"" + handle + "\""),
                "node B took node A's cookie for " + handle + ": " + posted.body());
        assertTrue(posted.headers().firstValue("set-cookie").isEmpty(), "node B minted no new handle");
    }

    @Test
    void theFeedOutlivesARestartOfEveryNode() throws Exception {
        ChirpServer a = nodes.start();
        ChirpServer b = nodes.start();
        List<Long> posted = List.of(id(nodes.postApi(a, "one")), id(nodes.postApi(b, "two")),
                id(nodes.postApi(a, "three")));
        nodes.stopAll();

        ChirpServer again = nodes.start();
        LiveClient client = nodes.sse(again, 0);

        assertEquals(List.of(posted.get(2), posted.get(1), posted.get(0)),
                Nodes.ids(nodes.get(again, "/api/chirps").body()), "the feed after the restart");
        assertEquals(posted, client.awaitCount(3), "a new client's backlog");
        assertEquals(posted.size(), client.ids().size());
        assertEquals("ok\n", nodes.get(again, "/healthz").body());
    }

    /** Posts this many chirps in turn; returns the ids the API answered (0 for form posts). */
    private List<Long> post(ChirpServer node, String route, int count) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String text = route + "-" + node.port() + "-" + i;
            if (route.equals("api")) {
                ids.add(id(nodes.postApi(node, text)));
            } else {
                HttpResponse<String> answer = nodes.postForm(node, text);
                assertEquals(204, answer.statusCode(), answer.body());
                ids.add(0L);
            }
        }
        return ids;
    }

    private static long id(HttpResponse<String> answer) {
        assertEquals(201, answer.statusCode(), answer.body());
        return Nodes.ids(answer.body()).get(0);
    }
}
