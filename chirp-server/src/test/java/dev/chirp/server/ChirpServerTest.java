package dev.chirp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.Chirp;
import dev.chirp.core.store.Store;
import dev.chirp.core.store.Timeline;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled server over real sockets: the page, its assets, both transports, identity and
 * the dump across a restart.
 */
class ChirpServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern ASSET =
            Pattern.compile("<(?:script|link)[^>]*\\s(?:src|href)=\"([^\"]+)\"");
    private static final Pattern CARRIER =
            Pattern.compile("<div hx-swap-oob=\"afterbegin:#feed\">(.*?)</div>");
    private static final String WHOAMI = "<strong class=\"handle\">@%s</strong>";

    @TempDir
    Path tempDir;

    private final HttpClient http = Visitor.newHttpClient();
    private final List<ChirpServer> servers = new ArrayList<>();

    @AfterEach
    void closeServers() {
        servers.forEach(ChirpServer::close);
    }

    @Test
    void streamSendsTheBacklogOldestFirstThenNewChirps() throws Exception {
        Visitor visitor = new Visitor(http, start().port());
        visitor.visit();
        visitor.postAccepted("backlog one");
        visitor.postAccepted("backlog two");
        visitor.postAccepted("backlog three");

        try (SseClient stream = visitor.stream()) {
            List<SseClient.Event> backlog =
                    List.of(stream.nextChirp(WAIT), stream.nextChirp(WAIT), stream.nextChirp(WAIT));
            visitor.postAccepted("live four");
            SseClient.Event live = stream.nextChirp(WAIT);

            List<RenderedChirp> old =
                    backlog.stream().map(event -> RenderedChirp.only(event.data())).toList();
            assertEquals(List.of("backlog one", "backlog two", "backlog three"), texts(old),
                    "the backlog, oldest first");
            assertEquals(old.stream().map(chirp -> Long.toString(chirp.id())).toList(),
                    backlog.stream().map(SseClient.Event::id).toList(), "event ids = chirp ids");
            assertEquals(ids(old).stream().sorted().toList(), ids(old), "ids increase: " + backlog);
            RenderedChirp four = RenderedChirp.only(live.data());
            assertEquals("live four", four.text(), "the live chirp after the backlog");
            assertTrue(four.id() > old.get(2).id(), "a new id follows the backlog's: " + live);
            assertEquals(visitor.handle(), four.handle(), "the poster's handle");
        }
    }

    @Test
    void chirpSentOverTheWebSocketReachesAnSseClientOnce() throws Exception {
        int port = start().port();
        Visitor reader = new Visitor(http, port);
        Visitor writer = new Visitor(http, port);
        reader.visit();
        writer.visit();
        reader.postAccepted("seed");

        try (SseClient stream = reader.stream(); WsClient socket = writer.socket()) {
            stream.awaitChirp(">seed<", WAIT);
            // Shaped as htmx sends it, with the extra HEADERS key the server ignores.
            socket.send("{\"chirp\": \"over the <b>socket</b>\","
                    + " \"HEADERS\": {\"HX-Request\": \"true\"}}");
            SseClient.Event arrived = stream.awaitChirp("over the", WAIT);
            reader.postAccepted("fence");
            stream.awaitChirp(">fence<", WAIT);

            RenderedChirp chirp = RenderedChirp.only(arrived.data());
            assertEquals("over the &lt;b&gt;socket&lt;/b&gt;", chirp.text(), "the text, escaped");
            assertEquals(writer.handle(), chirp.handle(), "under the socket's cookie handle");
            assertEquals(1, stream.chirpsContaining("over the"), "the SSE client got it once");
        }
    }

    @Test
    void chirpPostedOverHttpReachesAWebSocketClientAsAnOutOfBandCarrier() throws Exception {
        Visitor visitor = new Visitor(http, start().port());
        visitor.visit();
        visitor.postAccepted("seed");

        try (WsClient socket = visitor.socket()) {
            socket.awaitFrame(">seed<", WAIT);
            visitor.postAccepted("over http & plain");
            String frame = socket.awaitFrame("over http", WAIT);
            visitor.postAccepted("fence");
            socket.awaitFrame(">fence<", WAIT);

            Matcher carrier = CARRIER.matcher(frame);
            assertTrue(carrier.find(), "the chirp comes in an afterbegin:#feed carrier: " + frame);
            RenderedChirp chirp = RenderedChirp.only(carrier.group(1));
            assertEquals("over http &amp; plain", chirp.text(), "the carried chirp's text");
            assertEquals(visitor.handle(), chirp.handle(), "the carried chirp's handle");
            assertEquals(1, socket.occurrences("over http"), "the socket got it once");
        }
    }

    @Test
    void webSocketFromAnotherSiteIsRefused() throws Exception {
        Visitor visitor = new Visitor(http, start().port());

        int status =
                WsClient.refusedHandshakeStatus(http, visitor.socketUri(), "http://evil.example");

        assertEquals(403, status, "a cross-site handshake's status");
    }

    @Test
    void restartOnTheSameDumpKeepsTheFeed() throws Exception {
        ChirpServer first = start();
        Visitor visitor = new Visitor(http, first.port());
        visitor.visit();
        visitor.postAccepted("kept one");
        visitor.postAccepted("kept <two> & \"quoted\"");
        visitor.postAccepted("kept three, \uD83D\uDC26 bird");
        List<Chirp> before = first.feed().store().chirps();

        first.close();
        ChirpServer second = start();
        String page = new Visitor(http, second.port()).visit().body();

        assertEquals(3, before.size(), "chirps before the restart: " + before);
        assertEquals(before, second.feed().store().chirps(),
                "the feed after the restart: ids, handles, texts, times");
        List<RenderedChirp> shown = RenderedChirp.findAll(page);
        assertEquals(List.of("kept three, \uD83D\uDC26 bird",
                "kept &lt;two&gt; &amp; &quot;quoted&quot;", "kept one"), texts(shown),
                "the restarted page's feed, newest first");
        assertEquals(before.stream().map(Chirp::id).toList(), ids(shown), "the page's ids");
    }

    @Test
    void firstVisitSetsTheHandleCookieOnce() throws Exception {
        Visitor visitor = new Visitor(http, start().port());

        HttpResponse<String> first = visitor.visit();
        HttpResponse<String> second = visitor.get("/");

        List<String> setCookies = first.headers().allValues("set-cookie");
        assertEquals(1, setCookies.size(), "Set-Cookie headers on the first visit: " + setCookies);
        List<String> parts = List.of(setCookies.get(0).split(";"));
        assertTrue(parts.get(0).startsWith("handle="), "the cookie is named handle: " + setCookies);
        String value = parts.get(0).substring("handle=".length());
        assertTrue(value.matches("[a-z]+[1-9][0-9]{0,4}\\.[0-9]+\\.[A-Za-z0-9_-]{43}"), "a signed minted handle: " + value);
        String handle = value.substring(0, value.indexOf('.'));
        Set<String> attributes = parts.stream().skip(1)
                .map(part -> part.trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        assertEquals(Set.of("httponly", "samesite=lax", "max-age=86400", "path=/"), attributes,
                "the cookie's attributes: " + setCookies);
        assertTrue(first.body().contains(String.format(WHOAMI, handle)),
                "the first page names the minted handle");
        assertEquals(List.of(), second.headers().allValues("set-cookie"),
                "no new cookie on a second visit");
        assertTrue(second.body().contains(String.format(WHOAMI, handle)),
                "the second page names the same handle");
    }

    @Test
    void cookieThatIsNotAMintedHandleIsReplaced() throws Exception {
        Visitor visitor = new Visitor(http, start().port());
        HttpRequest forged = HttpRequest.newBuilder(visitor.uri("/"))
                .header("Cookie", "handle=%3Cscript%3Eadmin")
                .timeout(WAIT)
                .build();

        HttpResponse<String> page = http.send(forged, HttpResponse.BodyHandlers.ofString());

        String setCookie = page.headers().firstValue("set-cookie").orElse("");
        assertTrue(setCookie.matches("handle=[a-z]+[1-9][0-9]{0,4}\\.[0-9]+\\.[A-Za-z0-9_-]{43};.*"),
                "a new cookie: " + setCookie);
        assertFalse(page.body().contains("script%3Eadmin") || page.body().contains("<script>admin"),
                "the forged handle is not shown");
    }

    @Test
    void aVisitorKeepsTheirHandleAcrossARestartOnTheSameDump() throws Exception {
        ChirpServer first = start();
        Visitor visitor = new Visitor(http, first.port());
        visitor.visit();
        String before = visitor.handle();

        first.close();
        Visitor back = visitor.at(start().port());
        HttpResponse<String> page = back.get("/");

        assertEquals(List.of(), page.headers().allValues("set-cookie"), "no new cookie after the restart");
        assertTrue(page.body().contains(String.format(WHOAMI, before)), "the same handle after the restart");
        assertTrue(java.nio.file.Files.exists(tempDir.resolve("chirps.dump.secret")), "the secret beside the dump");
    }

    @Test
    void aGivenSecretSignsCookiesThatAnotherServerWithTheSameSecretAccepts() throws Exception {
        byte[] secret = "shared by two servers behind one name".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ChirpServer one = start(builder -> builder.secret(secret).dumpPath(tempDir.resolve("one.dump")));
        ChirpServer two = start(builder -> builder.secret(secret).dumpPath(tempDir.resolve("two.dump")));
        Visitor visitor = new Visitor(http, one.port());
        visitor.visit();
        String handle = visitor.handle();

        HttpResponse<String> page = visitor.at(two.port()).get("/");

        assertEquals(List.of(), page.headers().allValues("set-cookie"), "no new cookie from the second server");
        assertTrue(page.body().contains(String.format(WHOAMI, handle)), "the same handle on the second server");
    }

    @Test
    void aCookieSignedWithAnotherSecretIsReplaced() throws Exception {
        ChirpServer one = start(builder -> builder.secretFile(tempDir.resolve("one.secret")));
        ChirpServer two = start(builder -> builder.secretFile(tempDir.resolve("two.secret"))
                .dumpPath(tempDir.resolve("two.dump")));
        Visitor visitor = new Visitor(http, one.port());
        visitor.visit();

        HttpResponse<String> page = visitor.at(two.port()).get("/");

        assertEquals(1, page.headers().allValues("set-cookie").size(), "a new cookie from a server with another secret");
    }

    @Test
    void thePageAndItsAssetsCarryTheSecurityHeaders() throws Exception {
        Visitor visitor = new Visitor(http, start().port());
        HttpResponse<String> page = visitor.visit();
        List<String> assets = new ArrayList<>(List.of("/static/chirp.js", "/static/chirp.css", "/nothing-here"));
        Matcher script = Pattern.compile("src=\"(/webjars/[^\"]+)\"").matcher(page.body());
        while (script.find()) {
            assets.add(script.group(1));
        }

        List<HttpResponse<String>> responses = new ArrayList<>(List.of(page));
        for (String asset : assets) {
            responses.add(visitor.get(asset));
        }

        assertTrue(assets.size() >= 4, "the page loads htmx from its WebJar: " + assets);
        for (HttpResponse<String> response : responses) {
            String where = response.uri().getPath();
            assertEquals("default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                    + "img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
                    response.headers().firstValue("Content-Security-Policy").orElse(null), "CSP of " + where);
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null), where);
            assertEquals("same-origin", response.headers().firstValue("Referrer-Policy").orElse(null), where);
            assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElse(null), where);
        }
    }

    @Test
    void thePageHasNoInlineScriptOrStyle() throws Exception {
        String page = new Visitor(http, start().port()).visit().body();

        assertFalse(Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>").matcher(page).find(), "an inline script: " + page);
        assertFalse(page.contains("<style"), "an inline style element: " + page);
        assertFalse(Pattern.compile("\\sstyle=").matcher(page).find(), "a style attribute: " + page);
        assertFalse(Pattern.compile("\\son[a-z]+=").matcher(page).find(), "an event handler attribute: " + page);
        assertTrue(page.contains("\"includeIndicatorStyles\":false"), "htmx must not inject its own style element");
    }

    @Test
    void postFromAnotherSiteIsRefused() throws Exception {
        Visitor visitor = new Visitor(http, start().port());
        visitor.visit();
        HttpRequest post = HttpRequest.newBuilder(visitor.uri("/chirps"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("chirp=from+elsewhere"))
                .timeout(WAIT)
                .build();

        HttpResponse<String> answer = http.send(post, HttpResponse.BodyHandlers.ofString());

        assertEquals(403, answer.statusCode(), "status: " + answer.body());
        assertEquals("Chirps can only be posted from this site's own page.\n", answer.body());
    }

    @Test
    void pageRendersTheExistingFeedEscapedNewestFirst() throws Exception {
        Visitor visitor = new Visitor(http, start().port());
        visitor.visit();
        visitor.postAccepted("older, harmless");
        visitor.postAccepted("<img src=x onerror=alert(1)>");

        String page = visitor.get("/").body();

        assertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;"), "markup as text: " + page);
        assertFalse(page.contains("<img src=x"), "no live markup from a chirp: " + page);
        assertEquals(List.of("&lt;img src=x onerror=alert(1)&gt;", "older, harmless"),
                texts(RenderedChirp.findAll(page)), "the server-rendered feed, newest first");
    }

    @Test
    void sseOnlyServerHasNoWebSocketAndItsPageUsesSse() throws Exception {
        ChirpServer server = start(builder -> builder.transports(Set.of(Transport.SSE)));
        Visitor visitor = new Visitor(http, server.port());

        int status = WsClient.refusedHandshakeStatus(http, visitor.socketUri(), visitor.origin());
        String page = visitor.visit().body();

        assertEquals(404, status, "/socket without the WebSocket transport, instead of 101");
        assertTrue(page.contains("sse-connect=\"/stream\""), "the page follows /stream: " + page);
        assertFalse(page.contains("ws-connect"), "the page opens no WebSocket: " + page);
        visitor.postAccepted("posted to an SSE-only server");
    }

    @Test
    void webSocketOnlyServerRefusesPostsAndItsPageUsesTheWebSocket() throws Exception {
        ChirpServer server = start(builder -> builder.transports(Set.of(Transport.WS)));
        Visitor visitor = new Visitor(http, server.port());
        String page = visitor.visit().body();

        HttpResponse<String> post = visitor.post("not over this transport");
        HttpResponse<String> stream = visitor.get("/stream");

        assertEquals(404, post.statusCode(), "POST /chirps without SSE: " + post.body());
        assertEquals(404, stream.statusCode(), "GET /stream without the SSE transport");
        assertTrue(page.contains("ws-connect=\"/socket\""), "the page opens /socket: " + page);
        assertFalse(page.contains("sse-connect"), "the page follows no event stream: " + page);
        try (WsClient socket = visitor.socket()) {
            socket.send("{\"chirp\": \"over the only transport\"}");
            socket.awaitFrame("over the only transport", WAIT);
        }
    }

    @Test
    void transportQueryParameterPicksTheTransportOnABothTransportServer() throws Exception {
        Visitor visitor = new Visitor(http, start().port());
        visitor.visit();

        String plain = visitor.get("/").body();
        String sse = visitor.get("/?transport=sse").body();
        String ws = visitor.get("/?transport=ws").body();

        assertTrue(plain.contains("ws-connect=\"/socket\""), "the WebSocket by default: " + plain);
        assertTrue(sse.contains("sse-connect=\"/stream\"") && !sse.contains("ws-connect"),
                "?transport=sse gives the SSE page: " + sse);
        assertTrue(sse.contains("href=\"/?transport=ws\""), "the SSE page links to the other one");
        assertTrue(ws.contains("ws-connect=\"/socket\"") && !ws.contains("sse-connect"),
                "?transport=ws gives the WebSocket page: " + ws);
    }

    @Test
    void everyScriptAndStyleThePagesReferenceLoadsFromThisServer() throws Exception {
        Visitor visitor = new Visitor(http, start().port());
        visitor.visit();
        List<String> assets = new ArrayList<>();
        for (String page : List.of("/?transport=ws", "/?transport=sse")) {
            Matcher asset = ASSET.matcher(visitor.get(page).body());
            while (asset.find()) {
                assets.add(asset.group(1));
            }
        }

        String htmx = find(assets, "/htmx.min.js");
        String ws = find(assets, "/ws.js");
        String sse = find(assets, "/sse.js");

        assertTrue(htmx.matches("/webjars/htmx\\.org/[^/]+/dist/htmx\\.min\\.js"), "htmx: " + htmx);
        assertTrue(ws.startsWith("/webjars/") && sse.startsWith("/webjars/"), "WebJars: " + assets);
        for (String url : assets) {
            assertTrue(url.startsWith("/") && !url.startsWith("//"), "this origin, no CDN: " + url);
            HttpResponse<String> answer = visitor.get(url);
            String type = answer.headers().firstValue("content-type").orElse("");
            assertEquals(200, answer.statusCode(), "GET " + url);
            boolean typed = url.endsWith(".js")
                    ? type.contains("javascript")
                    : type.startsWith("text/css");
            assertTrue(typed, url + " has the content type of what it is: " + type);
            assertTrue(answer.body().length() > 100, url + " has content");
        }
        assertTrue(visitor.get(htmx).body().contains("htmx"), "htmx.min.js is htmx");
        assertTrue(visitor.get(ws).body().contains("defineExtension(\"ws\""), "ws.js defines ws");
        assertTrue(visitor.get(sse).body().contains("defineExtension('sse'"), "sse.js defines sse");
    }

    @Test
    void pageScriptAndStyleLoad() throws Exception {
        Visitor visitor = new Visitor(http, start().port());

        HttpResponse<String> script = visitor.get("/static/chirp.js");
        HttpResponse<String> style = visitor.get("/static/chirp.css");

        assertEquals(200, script.statusCode(), "GET /static/chirp.js");
        assertTrue(script.headers().firstValue("content-type").orElse("").contains("javascript"),
                "chirp.js content type: " + script.headers().map());
        assertTrue(script.body().contains("chirp-input"), "chirp.js is the page's script");
        assertEquals(200, style.statusCode(), "GET /static/chirp.css");
        assertTrue(style.headers().firstValue("content-type").orElse("").startsWith("text/css"),
                "chirp.css content type: " + style.headers().map());
        assertTrue(style.body().contains("#compose"), "chirp.css styles the page");
    }

    @Test
    void aForeignCookieTheServerCannotParseDoesNotBreakThePageOrPosting() throws Exception {
        int port = start().port();
        String foreign = "x=\u00e9; handle=<nope>";

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Cookie", foreign).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chirps"))
                .header("Cookie", foreign)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("chirp=still+here")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, page.statusCode(), page::body);
        assertTrue(page.headers().firstValue("set-cookie").orElse("").startsWith("handle="),
                "a fresh handle replaces the unusable one");
        assertEquals(204, post.statusCode(), post::body);
    }

    @Test
    void unknownPathsAreNotFound() throws Exception {
        Visitor visitor = new Visitor(http, start().port());
        List<String> paths = List.of("/nope", "/index.html", "/chirps",
                "/static/", "/static/dev", "/static/nope.js",
                "/webjars/", "/webjars/htmx.org", "/webjars/htmx.org/",
                "/webjars/htmx.org/0.0.0/dist/htmx.min.js",
                "/static/../versions.properties", "/static/%2e%2e/versions.properties",
                "/webjars/../../dev/chirp/server/versions.properties");

        List<String> answered = new ArrayList<>();
        for (String path : paths) {
            int status = visitor.get(path).statusCode();
            if (status != 404) {
                answered.add(path + " -> " + status);
            }
        }

        assertEquals(List.of(), answered, "paths that should be 404");
    }

    @Test
    void closedServerTakesNoMorePosts() throws Exception {
        ChirpServer server = start();
        Visitor visitor = new Visitor(http, server.port());
        visitor.visit();
        visitor.postAccepted("before closing");

        server.close();
        String outcome;
        try {
            outcome = "answered " + visitor.post("after closing").statusCode();
        } catch (IOException e) {
            outcome = "refused: " + e;
        }

        assertTrue(outcome.startsWith("refused") || outcome.equals("answered 503"),
                "a post after close() " + outcome);
        assertEquals(List.of("before closing"),
                server.feed().store().chirps().stream().map(Chirp::text).toList(),
                "the feed after close()");
    }

    @Test
    void aStoreGivenToTheBuilderIsOpenedWithTheServersBroadcasterAndFeedSize() throws Exception {
        List<Store.Context> contexts = new ArrayList<>();
        ChirpServer server = ChirpServer.builder().host("127.0.0.1").port(0).maxChirps(7)
                .store(context -> {
                    contexts.add(context);
                    return Timeline.builder().maxChirps(context.maxChirps()).pubSub(context.pubSub()).build();
                })
                .build();
        servers.add(server);
        server.start();

        new Visitor(http, server.port()).postAccepted("kept by the given store");

        assertEquals(1, contexts.size(), "the factory is called once");
        assertEquals(7, contexts.get(0).maxChirps());
        assertSame(server.feed().pubSub(), contexts.get(0).pubSub(), "the store publishes to the server's broadcaster");
        assertEquals(List.of("kept by the given store"),
                server.feed().store().chirps().stream().map(Chirp::text).toList());
    }

    @Test
    void aDumpPathAndAStoreTogetherAreRefused() {
        ChirpServer.Builder builder = ChirpServer.builder()
                .dumpPath(tempDir.resolve("chirps.dump"))
                .store(context -> Timeline.builder().build());

        IllegalStateException refused = assertThrows(IllegalStateException.class, builder::build);

        assertEquals("a dump path and a store are alternatives: the store keeps the feed, so leave the dump "
                + "path out", refused.getMessage());
    }

    private ChirpServer start() {
        return start(UnaryOperator.identity());
    }

    /**
     * Starts a server on a free port, with the test's dump file, and with no rate limit so that
     * a test may post in quick succession.
     */
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

    private static List<Long> ids(List<RenderedChirp> chirps) {
        return chirps.stream().map(RenderedChirp::id).toList();
    }

    private static List<String> texts(List<RenderedChirp> chirps) {
        return chirps.stream().map(RenderedChirp::text).toList();
    }

    private static String find(List<String> urls, String suffix) {
        return urls.stream().filter(url -> url.endsWith(suffix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + suffix + " among " + urls));
    }
}
