package dev.chirp.core.store;

import java.util.Locale;

/** How a {@link Timeline} with a dump file makes accepted chirps durable. */
public enum Fsync {

    /**
     * Every chirp is appended to the journal and forced to disk on its own before it is
     * acknowledged: the safest and slowest.
     */
    ALWAYS,

    /**
     * Chirps waiting together are appended to the journal and forced to disk once, then all
     * acknowledged (group commit): as safe as {@link #ALWAYS}, far faster under load. The
     * default.
     */
    BATCH,

    /**
     * No journal: the feed reaches disk only through the dump written on the flush timer and at
     * a clean stop, so a crash loses what was posted since the last dump.
     */
    OFF;

    /**
     * Returns the lowercase name used by the {@code --fsync} flag.
     *
     * @return {@code always}, {@code batch} or {@code off}
     */
    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
