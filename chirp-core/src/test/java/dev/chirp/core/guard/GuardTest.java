package dev.chirp.core.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chirp.core.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class GuardTest {

    private static final String BIRD = "\uD83D\uDC26";

    private final MutableClock clock = MutableClock.at("2025-12-03T17:25:17.123Z");
    private final Guard guard = Guard.builder().clock(clock).build();

    @Test
    void acceptsTheLimitInEmojiBecauseLengthCountsCodePoints() {
        String text = BIRD.repeat(280);

        Verdict verdict = guard.check("203.0.113.7", text);

        assertEquals(new Verdict.Accepted(text), verdict);
    }

    @Test
    void rejectsOneAsciiCharacterOverTheLimit() {
        Verdict verdict = guard.check("203.0.113.7", "a".repeat(281));

        assertEquals(tooLong("Chirp is 281 characters; the limit is 280."), verdict);
    }

    @Test
    void rejectsOneEmojiOverTheLimit() {
        Verdict verdict = guard.check("203.0.113.7", BIRD.repeat(281));

        assertEquals(tooLong("Chirp is 281 characters; the limit is 280."), verdict);
    }

    @Test
    void countsCombiningMarksAfterComposingThem() {
        String decomposed = "e\u0301".repeat(280);

        Verdict verdict = guard.check("203.0.113.7", decomposed);

        assertEquals(new Verdict.Accepted("\u00e9".repeat(280)), verdict);
    }

    @Test
    void appliesAConfiguredLimit() {
        Guard strict = Guard.builder().maxLength(5).noRateLimit().build();

        Verdict verdict = strict.check("203.0.113.7", "sixsix");

        assertEquals(tooLong("Chirp is 6 characters; the limit is 5."), verdict);
        assertEquals(5, strict.maxLength());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
        "", "   ", "\t\r\n", "\u00a0", "\u3000", "\u200b\u200b", "\u2060", "\ufeff", "\u200e",
        "\u034f", " \u200b \u00a0\u2060\n"
    })
    void rejectsTextWithNothingVisibleAsEmpty(String text) {
        Verdict verdict = guard.check("203.0.113.7", text);

        assertEquals(new Verdict.Rejected(Verdict.Reason.BLANK, "Chirp is empty.", Duration.ZERO),
                verdict);
    }

    @Test
    void trimsWhiteSpaceAroundTheText() {
        Verdict verdict = guard.normalize(" \u00a0\t hello  world \r\n\u3000");

        assertEquals(new Verdict.Accepted("hello  world"), verdict);
    }

    @Test
    void turnsEveryLineBreakIntoALineFeed() {
        Verdict verdict = guard.normalize("one\r\ntwo\rthree\nfour");

        assertEquals(new Verdict.Accepted("one\ntwo\nthree\nfour"), verdict);
    }

    @Test
    void removesControlCharactersAndTurnsTabsIntoSpaces() {
        Verdict verdict = guard.normalize("a\u0000b\u0007c\u001bd\u007fe\u0085f\tg");

        assertEquals(new Verdict.Accepted("abcdef g"), verdict);
    }

    @Test
    void keepsDirectionControlsForRightToLeftWritersSinceTheMarkupIsolatesThem() {
        String text = "\u202Bmixed \u05e9\u05dc\u05d5\u05dd\u202C and \u2067isolated\u2069 \u202Eoverride";

        Verdict verdict = guard.normalize(text);

        assertEquals(new Verdict.Accepted(text), verdict);
    }

    @Test
    void keepsTheCharactersPeopleSee() {
        String text = "<b>caf\u00e9</b> & \"quotes\" 'too' \u05e9\u05dc\u05d5\u05dd " + BIRD;

        Verdict verdict = guard.normalize(text);

        assertEquals(new Verdict.Accepted(text), verdict);
    }

    @Test
    void rateLimitsTheSixthChirpInTenSecondsByDefault() {
        for (int i = 0; i < 5; i++) {
            Verdict verdict = guard.check("203.0.113.7", "hi");
            assertEquals(new Verdict.Accepted("hi"), verdict, "post " + (i + 1));
        }

        Verdict sixth = guard.check("203.0.113.7", "hi");

        assertEquals(tooFast("try again in 10 seconds.", 10), sixth);
    }

    @Test
    void retryAfterIsTheRestOfTheWindowRoundedUpToSeconds() {
        postTimes("203.0.113.7", 5);

        clock.advance(Duration.ofMillis(3500));
        Verdict later = guard.check("203.0.113.7", "hi");
        clock.advance(Duration.ofMillis(6000));
        Verdict last = guard.check("203.0.113.7", "hi");

        assertEquals(tooFast("try again in 7 seconds.", 7), later);
        assertEquals(tooFast("try again in 1 second.", 1), last);
    }

    @Test
    void limitsEachClientKeyOnItsOwn() {
        postTimes("203.0.113.7", 6);

        Verdict other = guard.check("198.51.100.9", "hi");

        assertEquals(new Verdict.Accepted("hi"), other);
    }

    @Test
    void allowsChirpsAgainOnceTheWindowHasPassed() {
        postTimes("203.0.113.7", 6);

        clock.advance(Duration.ofSeconds(10));
        Verdict next = guard.check("203.0.113.7", "hi");

        assertEquals(new Verdict.Accepted("hi"), next);
    }

    @Test
    void blankOrTooLongPostsDoNotUseUpTheLimit() {
        for (int i = 0; i < 10; i++) {
            guard.check("203.0.113.7", "  ");
            guard.check("203.0.113.7", "a".repeat(281));
        }

        int accepted = postTimes("203.0.113.7", 5);

        assertEquals(5, accepted, "valid posts accepted after ten blank and ten long ones");
    }

    @Test
    void normalizeDoesNotCountAPost() {
        for (int i = 0; i < 10; i++) {
            guard.normalize("hi");
        }

        int accepted = postTimes("203.0.113.7", 5);

        assertEquals(5, accepted, "posts accepted after ten normalize calls");
    }

    @Test
    void noRateLimitNeverLimits() {
        Guard unlimited = Guard.builder().noRateLimit().clock(clock).build();

        long accepted = 0;
        for (int i = 0; i < 1000; i++) {
            if (unlimited.check("203.0.113.7", "hi") instanceof Verdict.Accepted) {
                accepted++;
            }
        }

        assertEquals(1000, accepted, "posts accepted without a rate limit");
    }

    @Test
    void appliesAConfiguredRateLimit() {
        Guard guard = Guard.builder().rateLimit(RateLimit.parse("2/1m")).clock(clock).build();
        guard.check("203.0.113.7", "one");
        guard.check("203.0.113.7", "two");

        Verdict third = guard.check("203.0.113.7", "three");

        assertEquals(tooFast("try again in 60 seconds.", 60), third);
    }

    @Test
    void sweepKeepsWindowsThatHaveNotEnded() {
        postTimes("203.0.113.7", 5);
        clock.advance(Duration.ofSeconds(9));

        guard.sweep();
        Verdict sixth = guard.check("203.0.113.7", "hi");

        assertEquals(tooFast("try again in 1 second.", 1), sixth);
    }

    @Test
    void maxLengthBelowOneIsRejected() {
        Guard.Builder builder = Guard.builder();

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> builder.maxLength(0));

        assertEquals("max length must be at least 1, got 0", thrown.getMessage());
    }

    @Test
    void clientKeyIsRequired() {
        NullPointerException thrown = assertThrows(NullPointerException.class,
                () -> guard.check(null, "hi"));

        assertEquals("clientKey", thrown.getMessage());
    }

    private int postTimes(String clientKey, int times) {
        int accepted = 0;
        for (int i = 0; i < times; i++) {
            if (guard.check(clientKey, "hi") instanceof Verdict.Accepted) {
                accepted++;
            }
        }
        return accepted;
    }

    private static Verdict tooFast(String wait, int seconds) {
        return new Verdict.Rejected(Verdict.Reason.RATE_LIMITED,
                "You are chirping too fast; " + wait, Duration.ofSeconds(seconds));
    }

    private static Verdict tooLong(String message) {
        return new Verdict.Rejected(Verdict.Reason.TOO_LONG, message, Duration.ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u3164\u3164", "\u115F", "\uFFA0", "\u2800", "\uFE0F\uFE0F", "\u0301",
        "\u200B\u0301\uFE0F"})
    void textThatRendersAsNothingIsBlank(String invisible) {
        Verdict verdict = guard.normalize(invisible);

        assertEquals(new Verdict.Rejected(Verdict.Reason.BLANK, "Chirp is empty.", Duration.ZERO), verdict);
    }

    @Test
    void unpairedSurrogatesAreRemoved() {
        Verdict verdict = guard.normalize("before \uD800 after\uDC00");

        assertEquals(new Verdict.Accepted("before  after"), verdict);
    }

    @Test
    void textFarOverTheLimitIsRefusedBeforeItIsNormalized() {
        String marks = "a" + "\u0301\u0316".repeat(16_000);

        Verdict verdict = guard.normalize(marks);

        assertEquals(new Verdict.Rejected(Verdict.Reason.TOO_LONG, "Chirp is 32001 characters; the limit is 280.",
                Duration.ZERO), verdict);
    }
}
