package dev.chirp.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.Chirp;
import dev.chirp.core.guard.Guard;
import dev.chirp.core.identity.Identity;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChirpReceiverTest {

    private static final String HANDLE = "calmotter7";
    private static final String PREPEND = "afterbegin:#feed";
    private static final String NOT_JSON =
            "Send a chirp as JSON: {&quot;chirp&quot;: &quot;your text&quot;}.";
    private static final Pattern ERROR =
            Pattern.compile("<p id=\"chirp-error\"[^>]* hx-swap-oob=\"true\">(.*)</p>");
    private static final Pattern FRESH_COMPOSE = Pattern.compile("<textarea id=\"chirp-input\"[^>]*"
            + " data-max-length=\"280\"[^>]* hx-swap-oob=\"true\"[^>]*></textarea>"
            + "<p id=\"chirp-error\"[^>]* hx-swap-oob=\"true\"></p>");

    private WsServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aChirpReachesOtherSocketsUnderTheCookieHandleNotTheFrameHandle() throws Exception {
        server = WsServer.start(Guard.builder().build());

        try (WsClient sender = server.connect("/socket", "Cookie", server.signedCookie(HANDLE));
                WsClient watcher = server.connect("/socket")) {
            sender.nextFrame();
            watcher.nextFrame();
            sender.sendText("{\"chirp\":\"hi\",\"handle\":\"someoneelse\",\"HEADERS\":{}}");
            String seen = watcher.nextFrame();
            List<String> answer = List.of(sender.nextFrame(), sender.nextFrame());

            Chirp stored = server.feed().store().chirps().get(0);
            assertEquals(HANDLE, stored.handle(), "the handle the chirp was posted under");
            assertEquals(List.of(new Fragments.Carrier(PREPEND,
                    List.of(new ListItem(stored.id(), HANDLE, "hi")))),
                    Fragments.carriers(seen), "the frame at the other socket");
            assertEquals(1, countFreshCompose(answer),
                    "a fresh compose box and an empty error area among " + answer);
            assertTrue(answer.contains(seen), "the sender sees its chirp too: " + answer);
        }
    }

    @Test
    void aSocketWithoutCookiePostsUnderAMintedHandle() throws Exception {
        server = WsServer.start(Guard.builder().build());

        try (WsClient sender = server.connect("/socket")) {
            sender.nextFrame();
            sender.sendText("{\"chirp\":\"hello\",\"handle\":\"someoneelse\"}");
            List<String> answer = List.of(sender.nextFrame(), sender.nextFrame());

            String handle = server.feed().store().chirps().get(0).handle();
            assertTrue(Identity.create().isHandle(handle), "a minted handle: " + handle);
            assertEquals(1, countFreshCompose(answer), "a fresh compose box among " + answer);
        }
    }

    static Stream<Arguments> badFrames() {
        return Stream.of(
                Arguments.of("not JSON", "hello", NOT_JSON),
                Arguments.of("cut-off JSON", "{\"chirp\": \"hi\"", NOT_JSON),
                Arguments.of("an empty frame", "", NOT_JSON),
                Arguments.of("JSON without chirp", "{\"text\": \"hi\", \"handle\": \"x\"}",
                        NOT_JSON),
                Arguments.of("a number as chirp", "{\"chirp\": 5}", NOT_JSON),
                Arguments.of("null as chirp", "{\"chirp\": null}", NOT_JSON),
                Arguments.of("an object as chirp", "{\"chirp\": {\"text\": \"hi\"}}", NOT_JSON),
                Arguments.of("a JSON array", "[\"chirp\", \"hi\"]", NOT_JSON),
                Arguments.of("a JSON string", "\"hi\"", NOT_JSON),
                Arguments.of("chirp given twice", "{\"chirp\": \"a\", \"chirp\": \"b\"}", NOT_JSON),
                Arguments.of("a second object after the first", "{\"chirp\": \"a\"} {\"chirp\": \"b\"}", NOT_JSON),
                Arguments.of("a blank chirp", "{\"chirp\": \" \\n\\t \"}", "Chirp is empty."),
                Arguments.of("a chirp of 281 characters",
                        "{\"chirp\": \"" + "a".repeat(281) + "\"}",
                        "Chirp is 281 characters; the limit is 280."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFrames")
    void aBadFrameGetsAnErrorFragmentAndTheSocketStaysOpen(String what, String frame,
            String escapedMessage) throws Exception {
        server = WsServer.start(Guard.builder().build());

        try (WsClient client = server.connect("/socket", "Cookie", server.signedCookie(HANDLE))) {
            client.nextFrame();
            client.sendText(frame);
            String error = client.nextFrame();
            client.sendText("{\"chirp\": \"after the bad one\"}");
            List<String> answer = List.of(client.nextFrame(), client.nextFrame());

            assertErrorFragment(escapedMessage, error);
            assertEquals(List.of("after the bad one"), texts(), "the feed");
            assertEquals(1, countFreshCompose(answer), "a fresh compose box among " + answer);
        }
    }

    @Test
    void aBinaryFrameGetsAnErrorFragmentAndTheSocketStaysOpen() throws Exception {
        server = WsServer.start(Guard.builder().build());

        try (WsClient client = server.connect("/socket")) {
            client.nextFrame();
            client.sendBinary("{\"chirp\": \"hi\"}".getBytes(StandardCharsets.UTF_8));
            String error = client.nextFrame();
            client.sendText("{\"chirp\": \"as text\"}");
            List<String> answer = List.of(client.nextFrame(), client.nextFrame());

            assertErrorFragment("Send chirps as text frames holding JSON.", error);
            assertEquals(List.of("as text"), texts(), "the feed");
            assertEquals(1, countFreshCompose(answer), "a fresh compose box among " + answer);
        }
    }

    @Test
    void theSixthChirpWithinTenSecondsGetsAnErrorFragmentAndTheSocketStaysOpen()
            throws Exception {
        Clock stopped = Clock.fixed(Instant.parse("2025-12-03T17:00:00Z"), ZoneOffset.UTC);
        server = WsServer.start(Guard.builder().clock(stopped).build());

        try (WsClient client = server.connect("/socket")) {
            client.nextFrame();
            for (int i = 1; i <= 5; i++) {
                client.sendText("{\"chirp\": \"number " + i + "\"}");
                List<String> answer = List.of(client.nextFrame(), client.nextFrame());
                assertEquals(1, countFreshCompose(answer), "answer to chirp " + i + ": " + answer);
            }
            client.sendText("{\"chirp\": \"number 6\"}");
            String error = client.nextFrame();
            Chirp later = server.store(HANDLE, "from elsewhere");
            String carrier = client.nextFrame();

            assertErrorFragment("You are chirping too fast; try again in 10 seconds.", error);
            assertEquals(List.of("from elsewhere", "number 5", "number 4", "number 3", "number 2",
                    "number 1"), texts(), "the feed");
            assertEquals(List.of(new Fragments.Carrier(PREPEND,
                    List.of(new ListItem(later.id(), HANDLE, "from elsewhere")))),
                    Fragments.carriers(carrier), "a live chirp after the refusal");
        }
    }

    @Test
    void socketsOpenedWithoutCookiesShareTheLimitOfTheirAddress() throws Exception {
        Clock stopped = Clock.fixed(Instant.parse("2025-12-03T17:00:00Z"), ZoneOffset.UTC);
        server = WsServer.start(Guard.builder().clock(stopped).build());
        List<String> firstFrames = new ArrayList<>();

        for (int i = 1; i <= 6; i++) {
            try (WsClient fresh = server.connect("/socket")) {
                fresh.nextFrame();
                fresh.sendText("{\"chirp\": \"socket " + i + "\", \"handle\": \"h" + i + "\"}");
                firstFrames.add(fresh.nextFrame());
            }
        }

        assertEquals(5, texts().size(), "chirps stored from six sockets, each a new identity: " + texts());
        assertErrorFragment("You are chirping too fast; try again in 10 seconds.", firstFrames.get(5));
    }

    @Test
    void aSocketWithAForgedCookieGetsANewIdentityAndPostsUnderIt() throws Exception {
        server = WsServer.start(Guard.builder().build());
        String mine = server.signedCookie("braveotter3");
        String forged = "handle=" + HANDLE + mine.substring(mine.indexOf('.'));

        try (WsClient client = server.connect("/socket", "Cookie", forged)) {
            client.nextFrame();
            client.sendText("{\"chirp\": \"hi\", \"handle\": \"" + HANDLE + "\"}");
            client.nextFrame();

            String handle = server.feed().store().chirps().get(0).handle();
            assertTrue(Identity.create().isHandle(handle), "a minted handle: " + handle);
            assertTrue(!handle.equals(HANDLE), "posted as the victim");
        }
    }

    @Test
    void aTextFrameOver64KibClosesTheSocketWith1009() throws Exception {
        server = WsServer.start(Guard.builder().build());
        String frame = "{\"chirp\": \"" + "a".repeat(64 * 1024 - 12) + "\"}";

        try (WsClient client = server.connect("/socket")) {
            client.nextFrame();
            client.sendText(frame);
            WsClient.Closing closing = client.awaitClosing();

            assertEquals(64 * 1024 + 1, frame.length(), "length of the frame");
            assertEquals(1009, closing.code(), "close code, reason " + closing.reason());
            assertEquals(List.of(), texts(), "the feed");
        }
    }

    @Test
    void aTextFrameOfExactly64KibIsJudgedByTheGuard() throws Exception {
        server = WsServer.start(Guard.builder().build());
        String frame = "{\"chirp\": \"" + "a".repeat(64 * 1024 - 13) + "\"}";

        try (WsClient client = server.connect("/socket")) {
            client.nextFrame();
            client.sendText(frame);
            String error = client.nextFrame();

            assertEquals(64 * 1024, frame.length(), "length of the frame");
            assertErrorFragment("Chirp is 65523 characters; the limit is 280.", error);
        }
    }

    private List<String> texts() {
        return server.feed().store().chirps().stream()
                .map(Chirp::text)
                .collect(Collectors.toList());
    }

    private static long countFreshCompose(List<String> frames) {
        return frames.stream().filter(frame -> FRESH_COMPOSE.matcher(frame).matches()).count();
    }

    private static void assertErrorFragment(String escapedMessage, String frame) {
        Matcher matcher = ERROR.matcher(frame);
        assertTrue(matcher.matches(), "an out-of-band error fragment: " + frame);
        assertEquals(escapedMessage, matcher.group(1), "the message in the error fragment");
    }
}
