package dev.chirp.transport.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.Chirp;
import dev.chirp.core.guard.Guard;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PostRouteTest {

    private static final String HANDLE = "calmotter7";
    private static final String CROSS_SITE = "Chirps can only be posted from this site's own page.";
    private static final String NOT_A_FORM = "Send the chirp as a form"
            + " (application/x-www-form-urlencoded) with a field named chirp.";
    private static final String TOO_LARGE = "That chirp is far too large to post.";
    private static final String NOT_UTF8 =
            "The chirp could not be read: the chirp is not valid UTF-8 text.";
    private static final Pattern SET_COOKIE = Pattern.compile(
            "handle=([a-z]+[1-9][0-9]{0,4})\\.[0-9]+\\.[A-Za-z0-9_-]{43}; Max-Age=86400; Path=/; HttpOnly; SameSite=Lax");
    private static final Pattern ERROR_FRAGMENT =
            Pattern.compile("<p id=\"chirp-error\"[^>]* hx-swap-oob=\"true\">(.*)</p>");

    private SseServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anAcceptedChirpGets204AndIsInTheFeed() throws Exception {
        server = SseServer.start(Guard.builder().build());

        HttpResponse<String> response =
                server.postForm("chirp=+hello+there+", "Cookie", server.signedCookie(HANDLE));

        assertEquals(204, response.statusCode(), "status: " + response.body());
        assertEquals("", response.body(), "body of an accepted post");
        assertEquals(List.of(HANDLE + ": hello there"), feedLines(), "the feed, text trimmed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"chirp=", "chirp=+%09%0A", "chirp", "", "other=hi", "chirp=%E2%80%8B"})
    void aBlankOrMissingChirpIs400(String form) throws Exception {
        server = SseServer.start(Guard.builder().build());

        HttpResponse<String> response = server.postForm(form);

        assertPlainRejection(response, 400, "Chirp is empty.");
        assertEquals(List.of(), feedLines(), "the feed after a rejected post");
    }

    @Test
    void aChirpOf281CharactersIs400() throws Exception {
        server = SseServer.start(Guard.builder().build());

        HttpResponse<String> response = server.postForm("chirp=" + "a".repeat(281));

        assertPlainRejection(response, 400, "Chirp is 281 characters; the limit is 280.");
        assertEquals(List.of(), feedLines(), "the feed after a rejected post");
    }

    @Test
    void aChirpOf280CodePointsIsAccepted() throws Exception {
        server = SseServer.start(Guard.builder().build());
        String birds = "\uD83D\uDC26".repeat(280);

        HttpResponse<String> response =
                server.postForm("chirp=" + URLEncoder.encode(birds, StandardCharsets.UTF_8));

        assertEquals(204, response.statusCode(), "status: " + response.body());
        assertEquals(birds, server.feed().store().chirps().get(0).text(), "the stored chirp");
    }

    @Test
    void theSixthChirpWithinTenSecondsIs429WhileAnotherAddressMayStillPost() throws Exception {
        Clock stopped = Clock.fixed(Instant.parse("2025-12-03T17:00:00Z"), ZoneOffset.UTC);
        server = SseServer.start(Guard.builder().clock(stopped).build());
        for (int i = 1; i <= 5; i++) {
            HttpResponse<String> accepted = server.postForm("chirp=number+" + i);
            assertEquals(204, accepted.statusCode(), "post " + i + ": " + accepted.body());
        }

        HttpResponse<String> limited = server.postForm("chirp=number+6");
        // Linux loopback answers the whole of 127/8, so a second client address is at hand.
        Socket elsewhere = new Socket();
        elsewhere.bind(new InetSocketAddress("127.0.0.2", 0));
        RawHttp.Response other = RawHttp.exchange(elsewhere, server.port(),
                "POST /chirps HTTP/1.1\r\n"
                + "Content-Type: " + SseServer.FORM + "\r\nContent-Length: 13\r\n",
                "chirp=another".getBytes(StandardCharsets.US_ASCII));

        assertPlainRejection(limited, 429, "You are chirping too fast; try again in 10 seconds.");
        assertEquals("10", limited.headers().firstValue("Retry-After").orElse(null), "Retry-After");
        assertEquals(204, other.status(), "status for another address: " + other.body());
        assertEquals(6, feedLines().size(), "chirps in the feed: " + feedLines());
        assertEquals("another", texts().get(0), "the newest chirp");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Origin|https://evil.example",
        "Origin|http://127.0.0.1:1",
        "Origin|null",
        "Sec-Fetch-Site|cross-site",
    })
    void aCrossSitePostIs403AndLeavesTheFeedAlone(String header, String value) throws Exception {
        server = SseServer.start(Guard.builder().build());

        HttpResponse<String> refused = server.postForm("chirp=sneaky", header, value);
        HttpResponse<String> allowed = server.postForm("chirp=mine", "Origin", server.ownOrigin(),
                "Sec-Fetch-Site", "same-origin");

        assertPlainRejection(refused, 403, CROSS_SITE);
        assertEquals(204, allowed.statusCode(), "status of a same-origin post: " + allowed.body());
        assertEquals(List.of("mine"), texts(), "the feed holds only the allowed chirp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "text/plain", "multipart/form-data; boundary=x"})
    void aBodyThatIsNotAUrlEncodedFormIs415(String contentType) throws Exception {
        server = SseServer.start(Guard.builder().build());

        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/chirps"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString("{\"chirp\": \"hi\"}")));

        assertPlainRejection(response, 415, NOT_A_FORM);
        assertEquals(List.of(), feedLines(), "the feed after a rejected post");
    }

    @Test
    void aPostWithoutContentTypeIs415() throws Exception {
        server = SseServer.start(Guard.builder().build());

        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/chirps"))
                .POST(HttpRequest.BodyPublishers.ofString("chirp=hi")));

        assertPlainRejection(response, 415, NOT_A_FORM);
    }

    @Test
    void aFormTypeWithOtherCaseAndACharsetIsAccepted() throws Exception {
        server = SseServer.start(Guard.builder().build());

        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/chirps"))
                .header("Content-Type", "Application/X-WWW-Form-Urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("chirp=hi")));

        assertEquals(204, response.statusCode(), "status: " + response.body());
    }

    @Test
    void aContentLengthOver16KibIs413BeforeTheBodyIsRead() throws Exception {
        server = SseServer.start(Guard.builder().build());

        RawHttp.Response response = RawHttp.exchange(new Socket(), server.port(),
                "POST /chirps HTTP/1.1\r\n"
                + "Content-Type: " + SseServer.FORM + "\r\nContent-Length: 16385\r\n",
                "chirp=".getBytes(StandardCharsets.US_ASCII));

        assertEquals(413, response.status(), "status: " + response.body());
        assertEquals(TOO_LARGE + "\n", response.body(), "body of the rejection");
        assertEquals(List.of(), feedLines(), "the feed after a rejected post");
    }

    @Test
    void aBodyOfExactly16KibIsReadAndJudgedByTheGuard() throws Exception {
        server = SseServer.start(Guard.builder().build());
        String form = "chirp=" + "a".repeat(16 * 1024 - 6);

        HttpResponse<String> response = server.postForm(form);

        assertPlainRejection(response, 400, "Chirp is 16378 characters; the limit is 280.");
    }

    @Test
    void aChunkedBodyOver16KibIs413() throws Exception {
        server = SseServer.start(Guard.builder().build());
        // A short chirp, then padding in another field: only the size can refuse it.
        StringBuilder body = new StringBuilder("10\r\nchirp=hi&pad=xx\r\n");
        for (int i = 0; i < 5; i++) {
            body.append("1000\r\n").append("x".repeat(4096)).append("\r\n");
        }
        body.append("0\r\n\r\n");

        RawHttp.Response response = RawHttp.exchange(new Socket(), server.port(),
                "POST /chirps HTTP/1.1\r\n"
                + "Content-Type: " + SseServer.FORM + "\r\nTransfer-Encoding: chunked\r\n",
                body.toString().getBytes(StandardCharsets.US_ASCII));

        assertEquals(413, response.status(), "status: " + response.body());
        assertEquals(TOO_LARGE + "\n", response.body(), "body of the rejection");
        assertEquals(List.of(), feedLines(), "the feed after a rejected post");
    }

    @Test
    void aSmallChunkedBodyIsAccepted() throws Exception {
        server = SseServer.start(Guard.builder().build());

        RawHttp.Response response = RawHttp.exchange(new Socket(), server.port(),
                "POST /chirps HTTP/1.1\r\n"
                + "Content-Type: " + SseServer.FORM + "\r\nTransfer-Encoding: chunked\r\n",
                "6\r\nchirp=\r\n7\r\nchunked\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertEquals(204, response.status(), "status: " + response.body());
        assertEquals(List.of("chunked"), texts(), "the feed");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "chirp=%FF|the chirp is not valid UTF-8 text",
        "chirp=caf%C3|the chirp is not valid UTF-8 text",
        "chirp=%ED%A0%80|the chirp is not valid UTF-8 text",
        "chirp=%F|the form has a broken percent escape",
        "chirp=%zz+top|the form has a broken percent escape",
    })
    void aFormThatIsNotUtf8Is400(String form, String reason) throws Exception {
        server = SseServer.start(Guard.builder().build());

        HttpResponse<String> response = server.postForm(form);

        assertPlainRejection(response, 400, "The chirp could not be read: " + reason + ".");
        assertEquals(List.of(), feedLines(), "the feed after a rejected post");
    }

    @Test
    void rawBytesThatAreNotUtf8Are400() throws Exception {
        server = SseServer.start(Guard.builder().build());
        byte[] form = {'c', 'h', 'i', 'r', 'p', '=', 'h', (byte) 0xFF, 'i'};

        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/chirps"))
                .header("Content-Type", SseServer.FORM)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form)));

        assertPlainRejection(response, 400, NOT_UTF8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "chirp=|Sec-Fetch-Site|same-origin|400|Chirp is empty.",
        "chirp=hi|Origin|https://evil.example|403|"
                + "Chirps can only be posted from this site&#39;s own page.",
        "chirp=%FF|Sec-Fetch-Site|same-origin|400|"
                + "The chirp could not be read: the chirp is not valid UTF-8 text.",
    })
    void anHtmxRequestGetsTheErrorAsAnOutOfBandFragment(String form, String header, String value,
            int status, String escapedMessage) throws Exception {
        server = SseServer.start(Guard.builder().build());

        HttpResponse<String> response = server.postForm(form, "HX-Request", "true", header, value);

        assertEquals(status, response.statusCode(), "status: " + response.body());
        assertEquals("text/html; charset=UTF-8",
                response.headers().firstValue("Content-Type").orElse(null),
                "content type of an htmx rejection");
        Matcher fragment = ERROR_FRAGMENT.matcher(response.body());
        assertTrue(fragment.matches(), "an out-of-band error fragment: " + response.body());
        assertEquals(escapedMessage, fragment.group(1), "the message in the fragment");
    }

    @Test
    void theHandleFieldIsIgnoredInFavourOfTheCookie() throws Exception {
        server = SseServer.start(Guard.builder().build());

        try (EventStream stream = server.stream("/stream")) {
            stream.opening();
            stream.nextEvent();
            HttpResponse<String> response = server.postForm(
                    "handle=someoneelse&chirp=hi&handle=other", "Cookie", server.signedCookie(HANDLE));
            ListItem item = ListItem.parse(stream.nextEvent().data());

            assertEquals(204, response.statusCode(), "status: " + response.body());
            assertEquals(HANDLE, item.handle(), "the handle the chirp is shown under");
            assertEquals("hi", item.text(), "the chirp's text");
            assertEquals(List.of(), response.headers().allValues("Set-Cookie"),
                    "cookies for a known visitor");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "handle=someoneelse", "handle=calmotter100", "other=calmotter7",
        "handle=calmotter7", "handle=calmotter7.c2lnbmF0dXJl", "handle=%3Cimg%20src%3Dx%3E"})
    void aVisitorWithoutAMintedHandleGetsOneAndPostsUnderIt(String cookie) throws Exception {
        server = SseServer.start(Guard.builder().build());
        String[] headers = cookie.isEmpty() ? new String[0] : new String[] {"Cookie", cookie};

        HttpResponse<String> response = server.postForm("chirp=hi&handle=someoneelse", headers);

        assertEquals(204, response.statusCode(), "status: " + response.body());
        List<String> cookies = response.headers().allValues("Set-Cookie");
        assertEquals(1, cookies.size(), "cookies set: " + cookies);
        Matcher minted = SET_COOKIE.matcher(cookies.get(0));
        assertTrue(minted.matches(), "the identity cookie: " + cookies.get(0));
        Chirp stored = server.feed().store().chirps().get(0);
        assertEquals(minted.group(1), stored.handle(), "the handle the chirp was posted under");
        assertNotEquals("someoneelse", stored.handle(), "the handle from the form");
    }

    @Test
    void aCookieWhoseSignatureWasAlteredGetsANewIdentity() throws Exception {
        server = SseServer.start(Guard.builder().build());
        String signed = server.signedCookie(HANDLE);
        String altered = signed.substring(0, signed.length() - 3)
                + (signed.endsWith("AAA") ? "BBB" : "AAA");

        HttpResponse<String> response = server.postForm("chirp=hi", "Cookie", altered);

        assertEquals(204, response.statusCode(), "status: " + response.body());
        Matcher minted = SET_COOKIE.matcher(response.headers().firstValue("Set-Cookie").orElse(""));
        assertTrue(minted.matches(), "a new identity cookie: " + response.headers().allValues("Set-Cookie"));
        assertEquals(minted.group(1), server.feed().store().chirps().get(0).handle(),
                "the chirp is under the new handle");
    }

    @Test
    void aCookieSignedForAnotherHandleCannotBeReusedForAVictimsHandle() throws Exception {
        server = SseServer.start(Guard.builder().build());
        String mine = server.signedCookie("braveotter3");
        String forged = "handle=" + HANDLE + mine.substring(mine.indexOf('.'));

        HttpResponse<String> response = server.postForm("chirp=hi&handle=" + HANDLE, "Cookie", forged);

        assertEquals(204, response.statusCode(), "status: " + response.body());
        assertNotEquals(HANDLE, server.feed().store().chirps().get(0).handle(), "posted as the victim");
    }

    @Test
    void theCookieIsSecureWhenATrustedProxySaysTheBrowserUsedHttps() throws Exception {
        server = SseServer.start(Guard.builder().trustedProxies(List.of("127.0.0.1")).build());

        HttpResponse<String> response = server.postForm("chirp=hi", "X-Forwarded-Proto", "https");

        String cookie = response.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(cookie.endsWith("; Secure"), "the identity cookie: " + cookie);
    }

    @Test
    void anUntrustedPeerCannotClaimHttps() throws Exception {
        server = SseServer.start(Guard.builder().build());

        HttpResponse<String> response = server.postForm("chirp=hi", "X-Forwarded-Proto", "https");

        String cookie = response.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(SET_COOKIE.matcher(cookie).matches(), "a plain http cookie: " + cookie);
    }

    @Test
    void rotatingForwardedForDoesNotEscapeTheLimitFromAnUntrustedPeer() throws Exception {
        Clock stopped = Clock.fixed(Instant.parse("2025-12-03T17:00:00Z"), ZoneOffset.UTC);
        server = SseServer.start(Guard.builder().clock(stopped).build());
        int accepted = 0;

        for (int i = 1; i <= 20; i++) {
            String spoofed = "203.0.113." + i;
            HttpResponse<String> response = server.postForm("chirp=n" + i, "X-Forwarded-For", spoofed,
                    "X-Real-IP", spoofed, "Forwarded", "for=" + spoofed);
            accepted += response.statusCode() == 204 ? 1 : 0;
        }

        assertEquals(5, accepted, "posts accepted from one peer claiming 20 addresses");
    }

    @Test
    void rotatingCookiesDoesNotEscapeTheLimit() throws Exception {
        Clock stopped = Clock.fixed(Instant.parse("2025-12-03T17:00:00Z"), ZoneOffset.UTC);
        server = SseServer.start(Guard.builder().clock(stopped).build());
        int accepted = 0;

        for (int i = 1; i <= 20; i++) {
            String[] visitor = i % 2 == 0 ? new String[0]
                    : new String[] {"Cookie", server.signedCookie("calmotter" + i)};
            accepted += server.postForm("chirp=n" + i, visitor).statusCode() == 204 ? 1 : 0;
        }

        assertEquals(5, accepted, "posts accepted from one address under 20 identities");
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnLimit() throws Exception {
        Clock stopped = Clock.fixed(Instant.parse("2025-12-03T17:00:00Z"), ZoneOffset.UTC);
        server = SseServer.start(Guard.builder().clock(stopped).trustedProxies(List.of("127.0.0.1")).build());
        for (int i = 1; i <= 5; i++) {
            server.postForm("chirp=a" + i, "X-Forwarded-For", "203.0.113.1");
        }

        HttpResponse<String> sameClient = server.postForm("chirp=a6", "X-Forwarded-For", "203.0.113.1");
        HttpResponse<String> otherClient = server.postForm("chirp=b1", "X-Forwarded-For", "203.0.113.2");

        assertEquals(429, sameClient.statusCode(), "the sixth post of one forwarded client");
        assertEquals(204, otherClient.statusCode(), "another forwarded client: " + otherClient.body());
    }

    @Test
    void anAllowedOriginMayPost() throws Exception {
        server = SseServer.start(Guard.builder().allowedOrigins(List.of("https://chirp.example")).build());

        HttpResponse<String> listed = server.postForm("chirp=hi", "Origin", "https://chirp.example");
        HttpResponse<String> other = server.postForm("chirp=no", "Origin", "http://chirp.example");

        assertEquals(204, listed.statusCode(), "a listed origin: " + listed.body());
        assertPlainRejection(other, 403, CROSS_SITE);
    }

    @Test
    void aRejectedPostStillSetsTheIdentityCookie() throws Exception {
        server = SseServer.start(Guard.builder().build());

        HttpResponse<String> response = server.postForm("chirp=");

        assertEquals(400, response.statusCode(), "status: " + response.body());
        String cookie = response.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(SET_COOKIE.matcher(cookie).matches(), "the identity cookie: " + cookie);
    }

    private List<String> texts() {
        return server.feed().store().chirps().stream()
                .map(Chirp::text)
                .collect(Collectors.toList());
    }

    private List<String> feedLines() {
        return server.feed().store().chirps().stream()
                .map(chirp -> chirp.handle() + ": " + chirp.text())
                .collect(Collectors.toList());
    }

    private static void assertPlainRejection(HttpResponse<String> response, int status,
            String message) {
        assertEquals(status, response.statusCode(), "status: " + response.body());
        assertEquals("text/plain; charset=UTF-8",
                response.headers().firstValue("Content-Type").orElse(null),
                "content type of a rejection");
        assertEquals(message + "\n", response.body(), "body of the rejection");
    }
}
