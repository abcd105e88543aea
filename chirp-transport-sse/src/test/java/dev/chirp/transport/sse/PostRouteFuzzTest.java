package dev.chirp.transport.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chirp.core.Chirp;
import dev.chirp.core.guard.Guard;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary posts, drawn from a seeded generator so a failure can be replayed, at a real
 * server: bodies of random bytes, forms with broken escapes and every kind of character,
 * repeated and foreign fields, other content types and origins, bodies over the size limit.
 * Each gets a documented status with a documented message, and the feed holds only valid
 * chirps, all under the cookie's handle.
 */
class PostRouteFuzzTest {

    private static final long SEED = 0xF022_F0E3L;
    private static final int ROUNDS = 800;
    private static final Set<Integer> STATUSES = Set.of(204, 400, 403, 413, 415);
    private static final Pattern MESSAGE = Pattern.compile("Chirp is empty."
            + "|Chirp is \\d+ characters; the limit is 280\\."
            + "|The chirp could not be read: (the chirp is not valid UTF-8 text|the form has a broken percent escape)\\."
            + "|Chirps can only be posted from this site's own page\\."
            + "|That chirp is far too large to post\\."
            + "|Send the chirp as a form \\(application/x-www-form-urlencoded\\) with a field named chirp\\.");
    private static final String NASTY = "<>&\"'%+=&;\r\n\t\u0000\u0007\u007f\u2028\u200b\u202e\ufeff\u0301";

    private SseServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyPostGetsADocumentedAnswerAndTheFeedHoldsOnlyValidChirps() throws Exception {
        server = SseServer.start(Guard.builder().noRateLimit().build());
        Random random = new Random(SEED);
        List<Integer> seen = new ArrayList<>();

        for (int round = 0; round < ROUNDS; round++) {
            byte[] body = body(random);
            // Over the limit, only the start is sent: the answer comes before the rest is read.
            long declared = random.nextInt(10) == 0 ? 16 * 1024 + 1 + random.nextInt(1 << 20) : body.length;
            StringBuilder head = new StringBuilder("POST /chirps HTTP/1.1\r\n")
                    .append("Cookie: ").append(server.signedCookie("calmotter7")).append("\r\n")
                    .append("Content-Type: ").append(contentType(random)).append("\r\n")
                    .append("Content-Length: ").append(declared).append("\r\n");
            String origin = origin(random);
            if (origin != null) {
                head.append("Origin: ").append(origin).append("\r\n");
            }
            String what = "round " + round + " (" + body.length + " bytes of " + declared + ", origin " + origin + ")";

            RawHttp.Response response = RawHttp.exchange(new Socket(), server.port(), head.toString(),
                    declared == body.length ? body : Arrays.copyOf(body, Math.min(body.length, 100)));

            assertTrue(STATUSES.contains(response.status()), what + ": status " + response.status());
            if (response.status() == 204) {
                assertEquals("", response.body(), what);
            } else {
                String message = response.body().strip();
                assertTrue(MESSAGE.matcher(message).matches(), what + ": an undocumented message: " + message);
            }
            seen.add(response.status());
        }

        for (int status : List.of(204, 400, 403, 413, 415)) {
            assertTrue(seen.contains(status), "no round answered " + status + ", so that path went untested");
        }
        for (Chirp chirp : server.feed().store().chirps()) {
            assertValid(chirp);
        }
    }

    private static byte[] body(Random random) {
        int kind = random.nextInt(9);
        if (kind == 0) {
            byte[] bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            return bytes;
        }
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        int fields = 1 + random.nextInt(3);
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                form.write('&');
            }
            String name = switch (random.nextInt(4)) {
                case 0, 1 -> "chirp";
                case 2 -> "handle";
                default -> "other";
            };
            form.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
            if (random.nextInt(10) > 0) {
                form.write('=');
            }
            form.writeBytes(value(random));
        }
        return form.toByteArray();
    }

    /** A field's value: percent-encoded text, raw bytes, or a broken escape. */
    private static byte[] value(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(random.nextInt(8) == 0 ? 400 : 40);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(4)) {
                case 0 -> text.append((char) ('a' + random.nextInt(26)));
                case 1 -> text.append(NASTY.charAt(random.nextInt(NASTY.length())));
                case 2 -> text.appendCodePoint(0x10000 + random.nextInt(0x1000));
                default -> text.append((char) random.nextInt(0xD800));
            }
        }
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        for (byte b : text.toString().getBytes(StandardCharsets.UTF_8)) {
            int mode = random.nextInt(20);
            if (mode == 0) {
                encoded.write(b);
            } else if (mode == 1) {
                encoded.writeBytes("%G".getBytes(StandardCharsets.US_ASCII));
            } else if (mode == 2) {
                encoded.writeBytes(String.format("%%%02X", random.nextInt(256)).getBytes(StandardCharsets.US_ASCII));
            } else {
                encoded.writeBytes(String.format("%%%02X", b & 0xFF).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return encoded.toByteArray();
    }

    private static String contentType(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> "application/json";
            case 1 -> "text/plain";
            case 2 -> "Application/X-WWW-Form-Urlencoded; charset=UTF-8";
            default -> SseServer.FORM;
        };
    }

    private String origin(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> "http://evil.example";
            case 1 -> "null";
            case 2 -> server.ownOrigin().replace("http:", "https:");
            case 3, 4 -> server.ownOrigin();
            default -> null;
        };
    }

    private static void assertValid(Chirp chirp) {
        String text = chirp.text();
        int length = text.codePointCount(0, text.length());
        if (length < 1 || length > 280 || text.isBlank() || !text.equals(text.strip())) {
            fail("an invalid chirp in the feed: " + text);
        }
        if (text.chars().anyMatch(c -> c == '\r' || (Character.isISOControl(c) && c != '\n'))) {
            fail("a control character in the feed: " + text);
        }
        assertEquals("calmotter7", chirp.handle(), "the handle of a chirp in the feed");
    }
}
