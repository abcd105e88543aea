package dev.chirp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One person using a running server over plain HTTP: keeps the identity cookie the page hands
 * out and sends it back, as a browser would. Not thread-safe.
 */
final class Visitor {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern WHOAMI =
            Pattern.compile("<strong class=\"handle\">@([^<]*)</strong>");

    private final HttpClient http;
    private final int port;
    private Optional<String> cookie = Optional.empty();

    Visitor(HttpClient http, int port) {
        this.http = http;
        this.port = port;
    }

    /** Returns a client for tests: HTTP/1.1 only, so that no request tries an h2c upgrade. */
    static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
    }

    /** Returns the origin of this server's page, such as {@code http://127.0.0.1:4080}. */
    String origin() {
        return "http://127.0.0.1:" + port;
    }

    URI uri(String pathAndQuery) {
        return URI.create(origin() + pathAndQuery);
    }

    URI socketUri() {
        return URI.create("ws://127.0.0.1:" + port + "/socket");
    }

    /** Returns the same person, with the same cookie, visiting a server on another port. */
    Visitor at(int otherPort) {
        Visitor moved = new Visitor(http, otherPort);
        moved.cookie = cookie;
        return moved;
    }

    /** Opens the page, keeps the cookie it sets, and returns the page. */
    HttpResponse<String> visit() throws IOException, InterruptedException {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode(), () -> "GET / answered " + page.statusCode());
        List<String> setCookies = page.headers().allValues("set-cookie");
        if (!setCookies.isEmpty()) {
            cookie = Optional.of(setCookies.get(0).split(";", 2)[0].trim());
        }
        return page;
    }

    /** Returns the handle the page says this visitor chirps as. */
    String handle() throws IOException, InterruptedException {
        String page = get("/").body();
        Matcher matcher = WHOAMI.matcher(page);
        if (!matcher.find()) {
            throw new AssertionError("the page does not say whose it is: " + page);
        }
        return matcher.group(1);
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a chirp as the page's form does over {@code POST /chirps}. */
    HttpResponse<String> post(String text) throws IOException, InterruptedException {
        String form = "chirp=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
        HttpRequest post = request("/chirps")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        return http.send(post, HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a chirp and checks that it was accepted. */
    void postAccepted(String text) throws IOException, InterruptedException {
        HttpResponse<String> answer = post(text);
        assertEquals(204, answer.statusCode(),
                () -> "posting '" + text + "' answered " + answer.statusCode() + ": "
                        + answer.body());
    }

    /** Opens {@code GET /stream} with this visitor's cookie. */
    SseClient stream() throws IOException, InterruptedException {
        HttpRequest stream = request("/stream").header("Accept", "text/event-stream").GET().build();
        return SseClient.open(http, stream);
    }

    /** Opens {@code /socket} from this server's own origin, with this visitor's cookie. */
    WsClient socket() throws InterruptedException {
        return WsClient.open(http, socketUri(), origin(), cookie);
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(TIMEOUT);
        cookie.ifPresent(value -> request.header("Cookie", value));
        return request;
    }
}
