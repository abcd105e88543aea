package dev.chirp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S", "10s, PT10S", "5m, PT5M", "1h, PT1H", "1d, PT24H", "0s, PT0S",
        "' 10s ', PT10S", "999999999ms, PT277H46M39.999S"
    })
    void parsesAWholeNumberAndAUnit(String text, Duration expected) {
        Duration parsed = Durations.parse(text);

        assertEquals(expected, parsed);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "10", "s", "10 s", "1.5s", "-1s", "10S", "10sec", "ten s", "1000000000s", "PT10S"
    })
    void rejectsOtherShapesQuotingTheText(String text) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Durations.parse(text));

        assertEquals("duration '" + text + "' should be a whole number followed by"
                + " ms, s, m, h or d, such as 10s", thrown.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "PT10S, 10s", "PT90S, 90s", "PT60S, 1m", "PT1H, 1h", "PT36H, 36h", "PT48H, 2d",
        "PT1.5S, 1500ms", "PT0S, 0s"
    })
    void formatsInTheLargestExactUnit(Duration duration, String expected) {
        String formatted = Durations.format(duration);

        assertEquals(expected, formatted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"250ms", "10s", "90s", "5m", "36h", "7d"})
    void formatReadsBackAsTheSameDuration(String text) {
        Duration duration = Durations.parse(text);

        Duration again = Durations.parse(Durations.format(duration));

        assertEquals(duration, again);
    }
}
