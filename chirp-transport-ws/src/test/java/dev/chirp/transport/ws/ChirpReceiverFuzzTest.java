package dev.chirp.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chirp.core.Chirp;
import dev.chirp.core.guard.Guard;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary frames, drawn from a seeded generator so a failure can be replayed, at a real
 * socket: JSON of every shape, text of any characters, bytes that are not UTF-8, binary
 * frames. Each gets one of the documented answers (an error fragment with a known reason, the
 * fresh compose box of an accepted chirp, or a 1007 close for text that is not UTF-8), the
 * server keeps serving, and the feed holds only valid chirps.
 */
class ChirpReceiverFuzzTest {

    private static final long SEED = 0xF0221E5L;
    private static final int ROUNDS = 600;
    private static final String CARRIER = "<div hx-swap-oob=\"afterbegin:#feed\">";
    private static final Pattern ERROR = Pattern.compile("<p id=\"chirp-error\"[^>]* hx-swap-oob=\"true\">(.*)</p>");
    private static final Pattern ACCEPTED = Pattern.compile("<textarea id=\"chirp-input\"[^>]*></textarea>"
            + "<p id=\"chirp-error\"[^>]* hx-swap-oob=\"true\"></p>");
    private static final Set<String> REASONS = Set.of(
            "Send a chirp as JSON: {&quot;chirp&quot;: &quot;your text&quot;}.",
            "Send chirps as text frames holding JSON.",
            "Chirp is empty.");
    private static final Pattern TOO_LONG = Pattern.compile("Chirp is \\d+ characters; the limit is 280\\.");
    private static final String NASTY = "<>&\"'\\\r\n\t\u0000\u0007\u007f\u2028\u200b\u202e\ufeff\u0301{}[]:,";

    private WsServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyFrameGetsADocumentedAnswerAndTheFeedHoldsOnlyValidChirps() throws Exception {
        server = WsServer.start(Guard.builder().noRateLimit().build());
        Random random = new Random(SEED);
        RawWebSocket socket = open();
        int accepted = 0;
        int reopened = 0;

        try {
            for (int round = 0; round < ROUNDS; round++) {
                int opcode = random.nextInt(12) == 0 ? RawWebSocket.Frame.BINARY : RawWebSocket.Frame.TEXT;
                byte[] payload = frame(random);
                boolean utf8 = isUtf8(payload);
                socket.send(opcode, payload);

                RawWebSocket.Frame answer = nextAnswer(socket);
                String what = "round " + round + " (" + (opcode == RawWebSocket.Frame.BINARY ? "binary " : "")
                        + describe(payload) + ")";
                if (answer.opcode() == RawWebSocket.Frame.CLOSE) {
                    assertTrue(opcode == RawWebSocket.Frame.TEXT && !utf8,
                            what + ": the socket closed with " + answer.closeCode());
                    assertEquals(1007, answer.closeCode(), what + ": close code for text that is not UTF-8");
                    socket.close();
                    socket = open();
                    reopened++;
                    continue;
                }
                String text = new String(answer.payload(), StandardCharsets.UTF_8);
                if (ACCEPTED.matcher(text).matches()) {
                    accepted++;
                    continue;
                }
                Matcher error = ERROR.matcher(text);
                assertTrue(error.matches(), what + ": an undocumented answer: " + text);
                assertTrue(REASONS.contains(error.group(1)) || TOO_LONG.matcher(error.group(1)).matches(),
                        what + ": an undocumented reason: " + error.group(1));
            }
            socket.send(RawWebSocket.Frame.TEXT, "{\"chirp\": \"still here\"}".getBytes(StandardCharsets.UTF_8));
            assertTrue(ACCEPTED.matcher(new String(nextAnswer(socket).payload(), StandardCharsets.UTF_8)).matches(),
                    "a plain chirp after the fuzzing");
        } finally {
            socket.close();
        }

        assertTrue(accepted > 20, "too few frames were accepted to test much: " + accepted);
        assertTrue(reopened > 0, "no frame was invalid UTF-8, so that path went untested");
        for (Chirp chirp : server.feed().store().chirps()) {
            assertValid(chirp);
        }
    }

    private RawWebSocket open() throws IOException {
        RawWebSocket socket = RawWebSocket.open(new Socket(), server.port(),
                "Origin: " + server.ownOrigin() + "\r\nCookie: " + server.signedCookie("calmotter7") + "\r\n");
        assertTrue(socket.head().startsWith("HTTP/1.1 101 "), "handshake: " + socket.head());
        String backlog = socket.nextTextFrame();
        assertTrue(backlog.startsWith("<div hx-swap-oob=\"innerHTML:#feed\">"), "the backlog: " + backlog);
        return socket;
    }

    /** The next frame that answers the sender, skipping pings and chirps broadcast to everyone. */
    private static RawWebSocket.Frame nextAnswer(RawWebSocket socket) throws IOException {
        while (true) {
            RawWebSocket.Frame frame = socket.nextFrame();
            boolean broadcast = frame.opcode() == RawWebSocket.Frame.TEXT
                    && new String(frame.payload(), StandardCharsets.UTF_8).startsWith(CARRIER);
            if (frame.opcode() != RawWebSocket.Frame.PING && !broadcast) {
                return frame;
            }
        }
    }

    private static byte[] frame(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> bytes(random);
            case 1 -> text(random, 40).getBytes(StandardCharsets.UTF_8);
            case 2 -> nesting(random).getBytes(StandardCharsets.UTF_8);
            default -> json(random, 0).getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Random JSON, mostly objects; some with a text {@code chirp}, some with any other value. */
    private static String json(Random random, int depth) {
        int kind = depth > 3 ? 4 + random.nextInt(4) : random.nextInt(8);
        return switch (kind) {
            case 0, 1, 2 -> {
                StringBuilder object = new StringBuilder("{");
                int keys = random.nextInt(4);
                for (int i = 0; i < keys; i++) {
                    String key = switch (random.nextInt(4)) {
                        case 0 -> "chirp";
                        case 1 -> "handle";
                        case 2 -> "HEADERS";
                        default -> text(random, 6);
                    };
                    object.append(i > 0 ? "," : "").append(quoted(key)).append(':').append(json(random, depth + 1));
                }
                if (depth == 0 && random.nextBoolean()) {
                    object.append(keys > 0 ? "," : "").append("\"chirp\":").append(quoted(text(random, 300)));
                }
                yield object.append('}').toString();
            }
            case 3 -> {
                StringBuilder array = new StringBuilder("[");
                int items = random.nextInt(4);
                for (int i = 0; i < items; i++) {
                    array.append(i > 0 ? "," : "").append(json(random, depth + 1));
                }
                yield array.append(']').toString();
            }
            case 4 -> quoted(text(random, 30));
            case 5 -> Long.toString(random.nextLong());
            case 6 -> random.nextBoolean() ? "true" : "null";
            default -> random.nextBoolean() ? "1e999" : "-0.0";
        };
    }

    private static String nesting(Random random) {
        int depth = random.nextInt(20_000);
        return "{\"chirp\":" + "[".repeat(depth) + "\"x\"" + "]".repeat(random.nextBoolean() ? depth : 0) + "}";
    }

    private static byte[] bytes(Random random) {
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String text(Random random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(4)) {
                case 0 -> text.append((char) (0x20 + random.nextInt(0x5f)));
                case 1 -> text.append(NASTY.charAt(random.nextInt(NASTY.length())));
                case 2 -> text.appendCodePoint(0x10000 + random.nextInt(0x1000));
                default -> {
                    char c = (char) random.nextInt(0xD800);
                    text.append(c);
                }
            }
        }
        return text.toString();
    }

    private static String quoted(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    private static boolean isUtf8(byte[] payload) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(payload));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static void assertValid(Chirp chirp) {
        String text = chirp.text();
        int length = text.codePointCount(0, text.length());
        if (length < 1 || length > 280 || text.isBlank() || !text.equals(text.strip())) {
            fail("an invalid chirp in the feed: " + describe(text.getBytes(StandardCharsets.UTF_8)));
        }
        if (text.chars().anyMatch(c -> c == '\r' || (Character.isISOControl(c) && c != '\n'))) {
            fail("a control character in the feed: " + describe(text.getBytes(StandardCharsets.UTF_8)));
        }
        assertEquals("calmotter7", chirp.handle(), "the handle of a chirp in the feed");
    }

    private static String describe(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        return payload.length + " bytes: " + (text.length() > 80 ? text.substring(0, 80) + "…" : text);
    }
}
