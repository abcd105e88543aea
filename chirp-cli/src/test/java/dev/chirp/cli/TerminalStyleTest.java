package dev.chirp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.Chirp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalStyleTest {

    private static final Chirp CHIRP = new Chirp(7, "calmotter7", "first line\nsecond line",
            Instant.parse("2026-12-04T09:30:05Z"));

    @Test
    void autoColoursOnlyATerminalWithoutNoColorOrADumbTerm() {
        TerminalStyle.When auto = TerminalStyle.When.AUTO;

        assertTrue(TerminalStyle.wantsColours(auto, Map.of("TERM", "xterm"), true), "a terminal");
        assertFalse(TerminalStyle.wantsColours(auto, Map.of(), false), "output to a file or a pipe");
        assertFalse(TerminalStyle.wantsColours(auto, Map.of("NO_COLOR", "1"), true), "NO_COLOR set");
        assertTrue(TerminalStyle.wantsColours(auto, Map.of("NO_COLOR", ""), true), "NO_COLOR empty counts as unset");
        assertFalse(TerminalStyle.wantsColours(auto, Map.of("TERM", "dumb"), true), "a dumb terminal");
    }

    @Test
    void alwaysAndNeverOverrideTheEnvironment() {
        assertTrue(TerminalStyle.wantsColours(TerminalStyle.When.ALWAYS, Map.of("NO_COLOR", "1"), false));
        assertFalse(TerminalStyle.wantsColours(TerminalStyle.When.NEVER, Map.of(), true));
    }

    @Test
    void plainFormatShowsTimeHandleAndTextWithLaterLinesIndented() {
        String line = new TerminalStyle(false, ZoneOffset.UTC).format(CHIRP);

        assertEquals("2026-12-04 09:30:05 @calmotter7 first line\n"
                + "                                second line", line);
    }

    @Test
    void colouredFormatDimsTheTimeAndHighlightsTheHandle() {
        String line = new TerminalStyle(true, ZoneOffset.ofHours(1)).format(CHIRP);

        assertTrue(line.startsWith("\u001b[2m2026-12-04 10:30:05\u001b[0m \u001b[1;36m@calmotter7\u001b[0m first line"),
                line.replace("\u001b", "ESC"));
    }

    @Test
    void controlCharactersFromTheServerAreReplaced() {
        Chirp hostile = new Chirp(8, "calmotter7", "clear\u001b[2J bell\u0007 c1\u009b ok", Instant.EPOCH);

        String line = new TerminalStyle(false, ZoneOffset.UTC).format(hostile);

        assertEquals("1970-01-01 00:00:00 @calmotter7 clear\uFFFD[2J bell\uFFFD c1\uFFFD ok", line);
    }
}
