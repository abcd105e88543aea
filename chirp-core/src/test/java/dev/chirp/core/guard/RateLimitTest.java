package dev.chirp.core.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RateLimitTest {

    @Test
    void parsesTheDefault() {
        RateLimit limit = RateLimit.parse("5/10s");

        assertEquals(new RateLimit(5, Duration.ofSeconds(10)), limit);
        assertEquals(RateLimit.DEFAULT, limit);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "30/1m | 30 | PT1M", "100/500ms | 100 | PT0.5S", " 1 / 2h | 1 | PT2H", "7/1d | 7 | PT24H"
    })
    void parsesEachUnit(String text, int chirps, Duration window) {
        RateLimit limit = RateLimit.parse(text);

        assertEquals(new RateLimit(chirps, window), limit);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "5 | rate limit '5' should look like 5/10s",
        "/10s | rate limit '/10s' should look like 5/10s",
        "\"\" | rate limit '' should look like 5/10s",
        "off | rate limit 'off' should look like 5/10s",
        "five/10s | rate limit 'five/10s' should start with a whole number",
        "1.5/10s | rate limit '1.5/10s' should start with a whole number",
        "0/10s | rate limit must allow at least 1 chirp, got 0",
        "-1/10s | rate limit must allow at least 1 chirp, got -1",
        "5/0s | rate limit window must be positive, got PT0S",
        "5/10 | duration '10' should be a whole number followed by ms, s, m, h or d, such as 10s",
        "5/ | duration '' should be a whole number followed by ms, s, m, h or d, such as 10s",
        "5/1/s | duration '1/s' should be a whole number followed by ms, s, m, h or d, such as 10s"
    })
    void rejectsBadTextWithAMessageThatSaysWhy(String text, String message) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> RateLimit.parse(text));

        assertEquals(message, thrown.getMessage());
    }

    @Test
    void rejectsANegativeWindow() {
        Duration backwards = Duration.ofSeconds(-1);

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> new RateLimit(5, backwards));

        assertEquals("rate limit window must be positive, got PT-1S", thrown.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"5/10s", "30/1m", "100/500ms", "2/90s", "1/1h", "3/2d"})
    void printsTheWayItParses(String text) {
        RateLimit limit = RateLimit.parse(text);

        String printed = limit.toString();

        assertEquals(text, printed);
        assertEquals(limit, RateLimit.parse(printed));
    }
}
