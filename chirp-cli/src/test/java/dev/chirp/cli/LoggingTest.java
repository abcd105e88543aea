package dev.chirp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LoggingTest {

    @Test
    void levelFlagWinsOverTheEnvironment() {
        String level = Logging.level(new String[] {"serve", "--log-level", "debug"}, Map.of("CHIRP_LOG_LEVEL", "warn"));

        assertEquals("debug", level);
    }

    @Test
    void levelFlagMayBeJoinedToItsValue() {
        String level = Logging.level(new String[] {"serve", "--log-level=trace"}, Map.of());

        assertEquals("trace", level);
    }

    @Test
    void levelComesFromTheEnvironmentWithoutTheFlag() {
        String level = Logging.level(new String[] {"serve"}, Map.of("CHIRP_LOG_LEVEL", " error "));

        assertEquals("error", level);
    }

    @Test
    void levelIsInfoWhenNothingAsks() {
        String level = Logging.level(new String[] {"serve"}, Map.of("CHIRP_LOG_LEVEL", ""));

        assertEquals("info", level);
    }

    @Test
    void undertowFollowsEveryLevelButInfo() {
        assertEquals("warn", Logging.serverLevel("info"), "Undertow's version banners stay hidden at info");
        assertEquals("debug", Logging.serverLevel("debug"));
        assertEquals("trace", Logging.serverLevel("trace"));
        assertEquals("error", Logging.serverLevel("error"));
        assertEquals("warn", Logging.serverLevel("warn"));
    }
}
