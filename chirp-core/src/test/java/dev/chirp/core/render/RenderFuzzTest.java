package dev.chirp.core.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chirp.core.Chirp;
import dev.chirp.core.guard.Guard;
import dev.chirp.core.guard.Verdict;
import java.time.Instant;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary text, drawn from a seeded generator so a failure can be replayed, through the
 * guard and the renderer: neither throws, the guard answers only with its documented
 * verdicts, what it accepts is a valid chirp, and every rendering is one line of the protocol's
 * shape whose text reads back as what was stored.
 */
class RenderFuzzTest {

    private static final long SEED = 0x5EC0_1D_C41BL;
    private static final int ROUNDS = 20_000;
    private static final Pattern ITEM = Pattern.compile("<li class=\"chirp\" id=\"chirp-(\\d+)\">"
            + "<span class=\"handle\"[^>]*>@([^<]*)</span> "
            + "<span class=\"text\"[^>]*>([^<]*)</span></li>");
    private static final Pattern TOO_LONG = Pattern.compile("Chirp is \\d+ characters; the limit is 280\\.");
    /** Characters that break things when handled carelessly. */
    private static final String NASTY = "<>&\"'\r\n\t\u0000\u0007\u001b\u007f\u0085\u00a0\u2028\u2029"
            + "\u200b\u200d\u200e\u202a\u202e\u2066\u2069\ufeff\u034f\u0301\u3164\ufffd:=;%+\\/`${}[]";

    private final Render render = Render.create();
    private final Guard guard = Guard.builder().noRateLimit().build();

    @Test
    void arbitraryTextIsEitherRefusedWithAReasonOrStoredAsAValidChirpThatRendersAsText() {
        Random random = new Random(SEED);

        for (int round = 0; round < ROUNDS; round++) {
            String raw = text(random);
            Verdict verdict;
            try {
                verdict = guard.normalize(raw);
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round + ": the guard threw on " + describe(raw), e);
            }

            if (verdict instanceof Verdict.Rejected rejected) {
                assertTrue(rejected.message().equals("Chirp is empty.")
                        || TOO_LONG.matcher(rejected.message()).matches(),
                        "round " + round + ": an undocumented refusal '" + rejected.message() + "'");
                continue;
            }
            String text = ((Verdict.Accepted) verdict).text();
            assertValidChirpText(round, text);
            String html = render.item(new Chirp(round + 1, "calmotter7", text, Instant.EPOCH));
            assertFalse(html.contains("\n") || html.contains("\r"), "round " + round + ": two lines: " + html);
            Matcher item = ITEM.matcher(html);
            assertTrue(item.matches(), "round " + round + ": not the protocol's shape: " + html);
            assertEquals(text, unescape(item.group(3)), "round " + round + ": the text as a reader sees it");
        }
    }

    @Test
    void arbitraryErrorMessagesRenderAsOneLineOfText() {
        Random random = new Random(SEED + 1);

        for (int round = 0; round < ROUNDS / 4; round++) {
            String message = text(random);

            String html = render.error(message);

            assertFalse(html.contains("\n") || html.contains("\r"), "two lines: " + html);
            Matcher fragment = Pattern.compile("<p id=\"chirp-error\"[^>]*>([^<]*)</p>").matcher(html);
            assertTrue(fragment.matches(), "round " + round + ": not an error fragment: " + html);
        }
    }

    private static void assertValidChirpText(int round, String text) {
        int length = text.codePointCount(0, text.length());
        if (length < 1 || length > 280 || text.isBlank()) {
            fail("round " + round + ": accepted a chirp of " + length + " code points: " + describe(text));
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || (Character.isISOControl(c) && c != '\n')) {
                fail("round " + round + ": a control character survived: " + describe(text));
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1)))) {
                if (!(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1)))) {
                    fail("round " + round + ": an unpaired surrogate survived: " + describe(text));
                }
            }
        }
        assertEquals(text.strip(), text, "round " + round + ": not trimmed");
    }

    /** A string of random length mixing ASCII, the nasty characters, any BMP unit and astral code points. */
    private static String text(Random random) {
        int length = random.nextInt(10) == 0 ? random.nextInt(1500) : random.nextInt(60);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(5)) {
                case 0 -> text.append((char) (0x20 + random.nextInt(0x5f)));
                case 1, 2 -> text.append(NASTY.charAt(random.nextInt(NASTY.length())));
                case 3 -> text.append((char) random.nextInt(0x10000));
                default -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
            }
        }
        return text.toString();
    }

    /** What a browser shows for the escaped text: the five entities and the line break reference. */
    private static String unescape(String html) {
        return html.replace("&#10;", "\n").replace("&#13;", "\r").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    }

    private static String describe(String text) {
        StringBuilder units = new StringBuilder();
        text.codePoints().limit(80).forEach(cp -> units.append(String.format("U+%04X ", cp)));
        return units.toString().trim();
    }
}
