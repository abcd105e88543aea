package dev.chirp.server;

import java.util.Locale;

/** The ways a page can follow the feed live. */
public enum Transport {
    /** Approach 1: chirps go up as {@code POST /chirps} and come down on {@code GET /stream}. */
    SSE,
    /** Approach 2: one WebSocket on {@code /socket} carries chirps both ways. */
    WS;

    /**
     * Returns the lowercase name used in flags and URLs.
     *
     * @return {@code sse} or {@code ws}
     */
    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
