package dev.chirp.redis;

import dev.chirp.server.ChirpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Chirp nodes on one Redis feed, each a whole server on a port of its own, and HTTP to them. */
final class Nodes implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI redis;
    private final String prefix;
    private final List<ChirpServer> started = new ArrayList<>();
    private final List<AutoCloseable> clients = new ArrayList<>();

    Nodes(URI redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    /** Starts a node on a free port. */
    ChirpServer start() {
        return start(redis);
    }

    /** Starts a node on a free port that reaches Redis at this address, such as through a relay. */
    ChirpServer start(URI redisAddress) {
        ChirpServer server = ChirpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .noRateLimit()
                .store(RedisStore.builder(redisAddress).keyPrefix(prefix))
                .build()
                .start();
        started.add(server);
        return server;
    }

    /** Opens an event stream on a node, closed with the nodes. */
    LiveClient sse(ChirpServer node, long lastEventId) throws Exception {
        LiveClient client = LiveClient.sse(http, node.port(), lastEventId);
        clients.add(client);
        return client;
    }

    /** Opens a WebSocket on a node, closed with the nodes. */
    LiveClient ws(ChirpServer node, long since) throws Exception {
        LiveClient client = LiveClient.ws(http, node.port(), since);
        clients.add(client);
        return client;
    }

    /** Posts through the JSON API and returns the answer. */
    HttpResponse<String> postApi(ChirpServer node, String text) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/api/chirps"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"chirp\": \"" + text + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Posts through the form and returns the answer. */
    HttpResponse<String> postForm(ChirpServer node, String text) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/chirps"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("chirp=" + text))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Returns a GET's answer. */
    HttpResponse<String> get(ChirpServer node, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Asks a node's health until it answers this, or fails. */
    void awaitHealth(ChirpServer node, String answer) throws Exception {
        long deadline = System.nanoTime() + LiveClient.TIMEOUT.toNanos();
        String body = get(node, "/healthz").body();
        while (!body.equals(answer)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("health stayed '" + body.strip() + "', expected '" + answer.strip() + "'");
            }
            Thread.sleep(20);
            body = get(node, "/healthz").body();
        }
    }

    /** Returns the ids in a JSON answer, in order. */
    static List<Long> ids(String json) {
        List<Long> ids = new ArrayList<>();
        Matcher id = ID.matcher(json);
        while (id.find()) {
            ids.add(Long.parseLong(id.group(1)));
        }
        return ids;
    }

    /** Stops every node started so far (the feed stays in Redis). */
    void stopAll() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        clients.clear();
        started.forEach(ChirpServer::close);
        started.clear();
    }

    @Override
    public void close() throws Exception {
        stopAll();
        TestRedis.removeKeys(redis, prefix);
    }
}
