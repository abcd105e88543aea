package dev.chirp.bench;

import dev.chirp.core.Chirp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Chirps shaped like the load generator's, plus a few characters that need escaping. */
public final class Chirps {

    private static final Instant AT = Instant.parse("2026-01-01T12:00:00Z");

    private Chirps() {
    }

    /**
     * Returns a typical chirp with the given id: about 100 characters with a quote, an
     * ampersand, angle brackets and a line break for the escaping to do.
     *
     * @param id a positive id
     * @return the chirp
     */
    public static Chirp typical(long id) {
        return new Chirp(id, "swift-otter-" + (id % 97),
                "bench-k3j9x-" + id + " <b>not bold</b> & \"quoted\" text\nwith a second line and an emoji \uD83D\uDC26 at the end", AT);
    }

    /**
     * Returns a full feed, newest first, as the page shows it.
     *
     * @param size how many chirps
     * @return the chirps, ids size down to 1
     */
    public static List<Chirp> feed(int size) {
        List<Chirp> chirps = new ArrayList<>(size);
        for (long id = size; id >= 1; id--) {
            chirps.add(typical(id));
        }
        return chirps;
    }
}
