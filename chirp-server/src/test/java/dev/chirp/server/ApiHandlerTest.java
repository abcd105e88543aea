package dev.chirp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chirp.core.guard.RateLimit;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API over real sockets: status codes, bodies, paging, and where posted chirps go. */
class ApiHandlerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tempDir;

    private final HttpClient http = Visitor.newHttpClient();
    private final List<ChirpServer> servers = new ArrayList<>();

    @AfterEach
    void closeServers() {
        servers.forEach(ChirpServer::close);
    }

    @Test
    void postAnswers201WithTheStoredChirpAndMintsAHandle() throws Exception {
        ChirpServer server = start();
        long before = Instant.now().getEpochSecond();

        HttpResponse<String> answer = postJson(server, "{\"chirp\": \"  hello api  \"}", null);

        assertEquals(201, answer.statusCode(), answer::body);
        assertEquals("application/json", answer.headers().firstValue("content-type").orElse(""));
        JsonNode chirp = JSON.readTree(answer.body());
        assertEquals("hello api", chirp.get("text").asText(), "the text, trimmed: " + answer.body());
        assertEquals(server.feed().store().chirps().get(0).id(), chirp.get("id").asLong(), "the stored id");
        assertTrue(chirp.get("at").asLong() >= before && chirp.get("at").asLong() <= before + 60,
                "at is Unix seconds: " + answer.body());
        String cookie = answer.headers().firstValue("set-cookie").orElseThrow(
                () -> new AssertionError("no identity cookie for a client without one"));
        assertTrue(cookie.startsWith("handle=" + chirp.get("handle").asText() + "."),
                "the signed cookie names the chirp's handle: " + cookie + " / " + answer.body());
    }

    @Test
    void postUsesTheHandleOfTheIdentityCookie() throws Exception {
        ChirpServer server = start();
        Visitor visitor = new Visitor(http, server.port());
        HttpResponse<String> page = visitor.visit();
        String cookie = page.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];

        HttpResponse<String> answer = postJson(server, "{\"chirp\": \"mine\", \"handle\": \"someoneelse1\"}", cookie);

        assertEquals(201, answer.statusCode(), answer::body);
        assertEquals(visitor.handle(), JSON.readTree(answer.body()).get("handle").asText(),
                "the cookie's handle, not the body's");
        assertTrue(answer.headers().firstValue("set-cookie").isEmpty(), "no new cookie for a known client");
    }

    @Test
    void postRefusesBadChirpsWithAJsonError() throws Exception {
        ChirpServer server = start();
        String tooLong = "x".repeat(281);

        assertError(400, "Chirp is empty.", postJson(server, "{\"chirp\": \" \\u200b \\n\"}", null));
        assertError(400, "Chirp is 281 characters; the limit is 280.",
                postJson(server, "{\"chirp\": \"" + tooLong + "\"}", null));
        assertError(400, "The body is not valid JSON; send {\"chirp\": \"your text\"}.",
                postJson(server, "{\"chirp\": \"unclosed", null));
        assertError(400, "The body is not valid JSON; send {\"chirp\": \"your text\"}.",
                postJson(server, "{\"chirp\": \"a\"} {\"chirp\": \"b\"}", null));
        assertError(400, "The JSON needs a field \"chirp\" holding the text, such as {\"chirp\": \"your text\"}.",
                postJson(server, "{\"text\": \"hello\"}", null));
        assertError(400, "The JSON needs a field \"chirp\" holding the text, such as {\"chirp\": \"your text\"}.",
                postJson(server, "{\"chirp\": 42}", null));
        assertError(400, "The JSON needs a field \"chirp\" holding the text, such as {\"chirp\": \"your text\"}.",
                postJson(server, "[\"hello\"]", null));
        assertEquals(List.of(), server.feed().store().chirps(), "nothing was stored");
    }

    @Test
    void postRefusesWrongContentTypesLargeBodiesAndOtherSites() throws Exception {
        ChirpServer server = start();
        HttpRequest form = request(server, "/api/chirps")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("chirp=hello"))
                .build();
        HttpRequest large = request(server, "/api/chirps")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"chirp\": \"" + "x".repeat(17_000) + "\"}"))
                .build();
        HttpRequest crossSite = request(server, "/api/chirps")
                .header("Content-Type", "application/json")
                .header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"chirp\": \"hello\"}"))
                .build();

        assertError(415, "Send the chirp as JSON with Content-Type: application/json, such as "
                + "{\"chirp\": \"your text\"}.", send(form));
        assertError(413, "The body is over 16 KiB; a chirp is far smaller.", send(large));
        assertError(403, "Chirps can only be posted from this site's own page.", send(crossSite));
        assertEquals(List.of(), server.feed().store().chirps(), "nothing was stored");
    }

    @Test
    void postOverTheRateLimitGets429WithRetryAfter() throws Exception {
        ChirpServer server = start(builder -> builder.rateLimit(RateLimit.parse("1/30s")));
        assertEquals(201, postJson(server, "{\"chirp\": \"first\"}", null).statusCode());

        HttpResponse<String> second = postJson(server, "{\"chirp\": \"second\"}", null);

        assertError(429, "You are chirping too fast; try again in 30 seconds.", second);
        assertEquals("30", second.headers().firstValue("retry-after").orElse(""), "Retry-After");
        assertEquals(1, server.feed().store().chirps().size(), "the first chirp stays");
    }

    @Test
    void getListsTheFeedNewestFirstTwentyByDefault() throws Exception {
        ChirpServer server = start();
        for (int i = 1; i <= 25; i++) {
            assertEquals(201, postJson(server, "{\"chirp\": \"number " + i + "\"}", null).statusCode());
        }

        JsonNode all = JSON.readTree(get(server, "/api/chirps").body());

        assertEquals(20, all.size(), "the default limit");
        assertEquals("number 25", all.get(0).get("text").asText(), "newest first");
        assertEquals("number 6", all.get(19).get("text").asText(), "the twentieth newest");
        assertEquals(List.of("id", "handle", "text", "at"), fieldNames(all.get(0)), "the chirp's fields");
    }

    @Test
    void beforeAndLimitPageBackThroughTheWholeFeedAndThenAnswerEmpty() throws Exception {
        ChirpServer server = start();
        for (int i = 1; i <= 7; i++) {
            assertEquals(201, postJson(server, "{\"chirp\": \"page " + i + "\"}", null).statusCode());
        }

        List<String> seen = new ArrayList<>();
        String query = "/api/chirps?limit=3";
        List<Integer> pageSizes = new ArrayList<>();
        for (int pages = 0; pages < 10; pages++) {
            JsonNode page = JSON.readTree(get(server, query).body());
            pageSizes.add(page.size());
            if (page.isEmpty()) {
                break;
            }
            page.forEach(chirp -> seen.add(chirp.get("text").asText()));
            query = "/api/chirps?limit=3&before=" + page.get(page.size() - 1).get("id").asLong();
        }

        assertEquals(List.of(3, 3, 1, 0), pageSizes, "pages of 3, then past the end an empty one");
        assertEquals(List.of("page 7", "page 6", "page 5", "page 4", "page 3", "page 2", "page 1"), seen);
        HttpResponse<String> pastTheEnd = get(server, "/api/chirps?before=1");
        assertEquals(200, pastTheEnd.statusCode());
        assertEquals("[]", pastTheEnd.body(), "nothing is older than id 1");
    }

    @Test
    void badPagingParametersGet400() throws Exception {
        ChirpServer server = start();

        assertError(400, "limit must be a whole number from 1 to 100, got '0'.", get(server, "/api/chirps?limit=0"));
        assertError(400, "limit must be a whole number from 1 to 100, got '101'.",
                get(server, "/api/chirps?limit=101"));
        assertError(400, "limit must be a whole number from 1 to 100, got 'lots'.",
                get(server, "/api/chirps?limit=lots"));
        assertError(400, "before must be a chirp id (a positive whole number), got '-5'.",
                get(server, "/api/chirps?before=-5"));
        assertError(400, "before must be a chirp id (a positive whole number), got 'yesterday'.",
                get(server, "/api/chirps?before=yesterday"));
    }

    @Test
    void unknownApiPathsAndWrongMethodsGetJsonErrors() throws Exception {
        ChirpServer server = start();
        HttpRequest delete = request(server, "/api/chirps").DELETE().build();

        assertError(404, "There is no API route at /api/chirp; chirps are at /api/chirps.", get(server, "/api/chirp"));
        assertError(404, "There is no API route at /api; chirps are at /api/chirps.", get(server, "/api"));
        HttpResponse<String> wrongMethod = send(delete);
        assertError(405, "DELETE is not allowed here: GET reads chirps and POST adds one.", wrongMethod);
        assertEquals("GET, POST", wrongMethod.headers().firstValue("allow").orElse(""), "Allow");
    }

    @Test
    void chirpPostedThroughTheApiReachesStreamsAndSockets() throws Exception {
        ChirpServer server = start();
        Visitor visitor = new Visitor(http, server.port());
        visitor.visit();

        try (SseClient stream = visitor.stream(); WsClient socket = visitor.socket()) {
            HttpResponse<String> answer = postJson(server, "{\"chirp\": \"to every client\"}", null);
            assertEquals(201, answer.statusCode(), answer::body);
            long id = JSON.readTree(answer.body()).get("id").asLong();

            SseClient.Event event = stream.awaitChirp("to every client", WAIT);
            String frame = socket.awaitFrame("to every client", WAIT);

            assertEquals(Long.toString(id), event.id(), "the event's id is the chirp's");
            assertTrue(frame.contains("id=\"chirp-" + id + "\""), "the socket's fragment: " + frame);
        }
    }

    @Test
    void jsonStreamCarriesTheChirpsTheApiReturns() throws Exception {
        ChirpServer server = start();
        String first = postJson(server, "{\"chirp\": \"before <b>connecting</b>\"}", null).body();
        HttpRequest request = request(server, "/stream?format=json").GET().build();

        try (SseClient stream = SseClient.open(http, request)) {
            SseClient.Event backlog = stream.nextChirp(WAIT);
            String second = postJson(server, "{\"chirp\": \"line one\\nline two\"}", null).body();
            SseClient.Event live = stream.nextChirp(WAIT);

            assertEquals(JSON.readTree(first), JSON.readTree(backlog.data()), "the backlog chirp as the API gave it");
            assertEquals(JSON.readTree(second), JSON.readTree(live.data()), "the live chirp as the API gave it");
            assertEquals(JSON.readTree(second).get("id").asText(), live.id(), "event ids stay chirp ids");
        }
    }

    private static void assertError(int status, String message, HttpResponse<String> answer) throws Exception {
        assertEquals(status, answer.statusCode(), () -> "status; body: " + answer.body());
        assertEquals("application/json", answer.headers().firstValue("content-type").orElse(""),
                "an API error is JSON");
        JsonNode body = JSON.readTree(answer.body());
        assertEquals(List.of("error"), fieldNames(body), "the error's shape: " + answer.body());
        assertEquals(message, body.get("error").asText());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private HttpResponse<String> postJson(ChirpServer server, String body, String cookie) throws Exception {
        HttpRequest.Builder post = request(server, "/api/chirps")
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            post.header("Cookie", cookie);
        }
        return send(post.build());
    }

    private HttpResponse<String> get(ChirpServer server, String pathAndQuery) throws Exception {
        return send(request(server, pathAndQuery).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(ChirpServer server, String pathAndQuery) {
        return HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
                .timeout(WAIT);
    }

    private ChirpServer start() {
        return start(UnaryOperator.identity());
    }

    /** Starts a server on a free port with no rate limit, unless the settings set one. */
    private ChirpServer start(UnaryOperator<ChirpServer.Builder> settings) {
        ChirpServer server = settings.apply(ChirpServer.builder()
                        .host("127.0.0.1")
                        .port(0)
                        .dumpPath(tempDir.resolve("chirps.dump"))
                        .noRateLimit())
                .build();
        servers.add(server);
        return server.start();
    }
}
