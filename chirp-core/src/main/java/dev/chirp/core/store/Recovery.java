package dev.chirp.core.store;

import dev.chirp.core.Chirp;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Boot: the dump (the snapshot) plus the journal replayed on top of it, with the journal
 * repaired or kept aside as its state requires.
 */
final class Recovery {

    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());
    private static final DateTimeFormatter ASIDE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private Recovery() {
    }

    /**
     * The feed after boot.
     *
     * @param chirps newest first, capped
     * @param lastId the highest id ever handed out
     * @param dirty whether the feed holds changes the dump does not
     * @param journal the journal open for appending, unless fsync is off
     */
    record Result(List<Chirp> chirps, long lastId, boolean dirty, Optional<Journal> journal) {
    }

    /** Returns the journal's path for a dump path: the same name with {@code .journal} added. */
    static Path journalPath(Path dumpPath) {
        return dumpPath.resolveSibling(dumpPath.getFileName() + ".journal");
    }

    /**
     * Loads the dump, replays the journal on top of it, and opens the journal for appending.
     *
     * @throws IllegalStateException if either file cannot be read, or the journal cannot be
     *     opened or kept aside, or a snapshot needed to keep the feed safe cannot be written
     */
    static Result run(DumpFile dump, Fsync fsync, int maxChirps, Clock clock) {
        DumpFile.Contents snapshot = dump.load();
        Path journalPath = journalPath(dump.path());
        Optional<byte[]> bytes = readJournal(journalPath);
        Journal.Contents journal = bytes.map(Journal::read).orElse(Journal.Contents.EMPTY);
        Result replayed = replay(snapshot, journal.entries(), maxChirps);

        boolean damaged = journal.damaged() > 0;
        if (damaged) {
            Path aside = moveAside(journalPath, clock);
            LOG.log(System.Logger.Level.ERROR, "Journal {0} is damaged at byte {1} ({2} damaged record(s) "
                    + "skipped, {3} whole record(s) kept); moved it to {4} and kept every record that "
                    + "passed its checksum", journalPath, journal.firstDamageAt(), journal.damaged(),
                    journal.entries().size(), aside);
        } else if (journal.tornBytes() > 0) {
            LOG.log(System.Logger.Level.WARNING, "Journal {0} ended in an unfinished record; cut {1} byte(s) "
                    + "after byte {2}, keeping {3} whole record(s)", journalPath, journal.tornBytes(),
                    journal.validEnd(), journal.entries().size());
        }
        if (!journal.entries().isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "Replayed {0} record(s) from journal {1} on top of {2}",
                    journal.entries().size(), journalPath, dump.path());
        }

        // Without a journal to append to (fsync off), or with the old one kept aside, the
        // replayed chirps must reach the dump before anything else happens.
        boolean snapshotNow = (damaged || fsync == Fsync.OFF) && replayed.dirty();
        if (snapshotNow) {
            try {
                dump.write(new DumpFile.Contents(replayed.chirps(), replayed.lastId()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot write dump file " + dump.path() + " with the chirps "
                        + "recovered from journal " + journalPath + ": " + e.getMessage(), e);
            }
        }
        boolean dirty = replayed.dirty() && !snapshotNow;
        if (fsync == Fsync.OFF) {
            deleteJournal(journalPath, bytes.isPresent() && !damaged);
            return new Result(replayed.chirps(), replayed.lastId(), dirty, Optional.empty());
        }
        try {
            Journal open = Journal.open(journalPath, damaged ? 0 : journal.validEnd());
            return new Result(replayed.chirps(), replayed.lastId(), dirty, Optional.of(open));
        } catch (IOException e) {
            throw new IllegalStateException("cannot open journal " + journalPath + ": " + e.getMessage(), e);
        }
    }

    /**
     * Applies journal entries to a snapshot. Entries the snapshot already holds (written in the
     * moment between a snapshot and the journal being emptied) are skipped: a chirp whose id
     * is not above the snapshot's last id, or a clear from before the snapshot's last id.
     */
    static Result replay(DumpFile.Contents snapshot, List<Journal.Entry> entries, int maxChirps) {
        List<Chirp> oldestFirst = new ArrayList<>(snapshot.chirps());
        Collections.reverse(oldestFirst);
        long lastId = snapshot.lastId();
        boolean changed = false;
        for (Journal.Entry entry : entries) {
            if (entry instanceof Journal.Posted posted && posted.chirp().id() > lastId) {
                oldestFirst.add(posted.chirp());
                lastId = posted.chirp().id();
                changed = true;
            } else if (entry instanceof Journal.Cleared cleared && cleared.lastId() >= snapshot.lastId()) {
                oldestFirst.clear();
                lastId = Math.max(lastId, cleared.lastId());
                changed = true;
            }
        }
        int from = Math.max(0, oldestFirst.size() - maxChirps);
        List<Chirp> newestFirst = new ArrayList<>(oldestFirst.subList(from, oldestFirst.size()));
        Collections.reverse(newestFirst);
        return new Result(List.copyOf(newestFirst), lastId, changed, Optional.empty());
    }

    // Limitation: the journal is read whole into memory; it stays small while dumps succeed, but
    // grows without bound while they keep failing and the journal's writes do not.
    private static Optional<byte[]> readJournal(Path path) {
        try {
            return Optional.of(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            throw new IllegalStateException("cannot read journal " + path + ": permission denied");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read journal " + path + ": " + e.getMessage(), e);
        }
    }

    private static Path moveAside(Path journal, Clock clock) {
        String stamp = ASIDE_STAMP.format(clock.instant());
        Path aside = journal.resolveSibling(journal.getFileName() + ".damaged-" + stamp);
        for (int n = 2; Files.exists(aside); n++) {
            aside = journal.resolveSibling(journal.getFileName() + ".damaged-" + stamp + "-" + n);
        }
        try {
            Files.move(journal, aside);
            return aside;
        } catch (IOException e) {
            throw new IllegalStateException("journal " + journal + " is damaged and could not be moved aside to "
                    + aside + ": " + e.getMessage(), e);
        }
    }

    private static void deleteJournal(Path path, boolean exists) {
        if (!exists) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove journal " + path + " after saving its chirps in the "
                    + "dump (fsync is off): " + e.getMessage(), e);
        }
    }
}
