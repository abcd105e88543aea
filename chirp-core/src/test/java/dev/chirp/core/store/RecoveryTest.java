package dev.chirp.core.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.Chirp;
import dev.chirp.core.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boot after a crash: the dump plus the journal. A "crash" here is a timeline abandoned without
 * {@link Timeline#close()}, so nothing but the journal's own forced writes reached the disk.
 */
class RecoveryTest {

    /** Long enough that the flush timer never fires during a test. */
    private static final Duration NO_TIMER = Duration.ofHours(1);

    @TempDir
    Path folder;

    private final MutableClock clock = MutableClock.at("2025-12-03T17:25:17.123Z");
    private final List<Timeline> opened = new ArrayList<>();

    @AfterEach
    void closeTimelines() {
        opened.forEach(Timeline::close);
    }

    @Test
    void acknowledgedChirpsSurviveACrashWithNoDumpWritten() throws Exception {
        Timeline crashed = open(Fsync.BATCH);
        Chirp a = post(crashed, "a");
        Chirp b = post(crashed, "b");

        Timeline rebooted = open(Fsync.BATCH);

        assertFalse(Files.exists(dump()), "no dump should have been written before the crash");
        assertEquals(List.of(b, a), rebooted.chirps());
        assertEquals(b.id(), rebooted.lastId());
    }

    @Test
    void alwaysModeAlsoSurvivesACrash() throws Exception {
        Timeline crashed = open(Fsync.ALWAYS);
        Chirp a = post(crashed, "a");

        Timeline rebooted = open(Fsync.ALWAYS);

        assertEquals(List.of(a), rebooted.chirps());
    }

    @Test
    void offModeKeepsNoJournal() throws Exception {
        Timeline timeline = open(Fsync.OFF);
        post(timeline, "a");

        assertFalse(Files.exists(journal()), "fsync off must not write a journal");
        assertTrue(timeline.hasUnflushedChanges(), "with fsync off, a post is only in memory until the dump");
    }

    @Test
    void offModeSavesALeftoverJournalInTheDumpAndRemovesIt() throws Exception {
        Timeline crashed = open(Fsync.BATCH);
        Chirp a = post(crashed, "a");

        Timeline rebooted = open(Fsync.OFF);

        assertEquals(List.of(a), rebooted.chirps());
        assertFalse(Files.exists(journal()), "the journal should be gone once its chirps are in the dump");
        assertTrue(Files.readString(dump()).contains("\"text\":\"a\""), Files.readString(dump()));
    }

    @Test
    void flushWritesTheDumpAndEmptiesTheJournal() throws Exception {
        Timeline timeline = open(Fsync.BATCH);
        post(timeline, "a");
        long before = Files.size(journal());

        timeline.flush();

        assertEquals(Journal.MAGIC.length, Files.size(journal()), "journal size after the flush");
        assertTrue(before > Journal.MAGIC.length, "the post should have been in the journal");
    }

    @Test
    void crashBetweenDumpAndJournalResetReplaysNothingTwice() throws Exception {
        Timeline crashed = open(Fsync.BATCH);
        Chirp a = post(crashed, "a");
        Chirp b = post(crashed, "b");
        byte[] journalBeforeFlush = Files.readAllBytes(journal());
        crashed.flush();
        // As if the process died after the dump's rename but before the journal was emptied.
        Files.write(journal(), journalBeforeFlush);

        Timeline rebooted = open(Fsync.BATCH);

        assertEquals(List.of(b, a), rebooted.chirps());
    }

    @Test
    void clearInTheJournalIsReplayedInOrder() throws Exception {
        Timeline crashed = open(Fsync.BATCH);
        Chirp a = post(crashed, "a");
        crashed.clear().get(5, SECONDS);
        Chirp b = post(crashed, "b");

        Timeline rebooted = open(Fsync.BATCH);

        assertEquals(List.of(b), rebooted.chirps());
        assertTrue(a.id() < b.id(), "ids keep increasing across a clear");
    }

    @Test
    void clearAfterASnapshotIsReplayedEvenWithNoPostBetween() throws Exception {
        Timeline crashed = open(Fsync.BATCH);
        Chirp a = post(crashed, "a");
        crashed.flush();
        crashed.clear().get(5, SECONDS);

        Timeline rebooted = open(Fsync.BATCH);

        assertEquals(List.of(), rebooted.chirps());
        assertEquals(a.id(), rebooted.lastId(), "ids stay used after the clear");
    }

    @Test
    void clearAlreadyInTheDumpIsNotReplayedOverLaterChirps() throws Exception {
        Timeline crashed = open(Fsync.BATCH);
        post(crashed, "a");
        crashed.clear().get(5, SECONDS);
        Chirp b = post(crashed, "b");
        byte[] journalBeforeFlush = Files.readAllBytes(journal());
        crashed.flush();
        Files.write(journal(), journalBeforeFlush);

        Timeline rebooted = open(Fsync.BATCH);

        assertEquals(List.of(b), rebooted.chirps());
    }

    @Test
    void tornLastRecordIsCutAwayAndTheRestKept() throws Exception {
        Timeline crashed = open(Fsync.BATCH);
        Chirp a = post(crashed, "a");
        long afterA = recordsEnd();
        post(crashed, "b, whose record the crash cuts in half");
        truncate(journal(), recordsEnd() - 10);

        Timeline rebooted = open(Fsync.BATCH);
        List<Chirp> survived = rebooted.chirps();
        Chirp c = post(rebooted, "c");
        Timeline again = open(Fsync.BATCH);

        assertEquals(List.of(a), survived, "what survived the torn record");
        assertEquals(List.of(c, a), again.chirps(), "a post after the repair follows the whole records");
        assertTrue(recordsEnd() > afterA, "the journal should hold c after a");
        assertEquals(List.of("chirps.json.journal"), fileNames(), "nothing set aside for a torn tail");
    }

    @Test
    void recordTornInsideTheZerosAheadIsCutAwayAndTheRestKept() throws Exception {
        Timeline crashed = open(Fsync.BATCH);
        Chirp a = post(crashed, "a");
        post(crashed, "b, of which the crash wrote only the first half");
        long bEnd = recordsEnd();
        byte[] bytes = Files.readAllBytes(journal());
        Arrays.fill(bytes, (int) bEnd - 20, (int) bEnd, (byte) 0);
        Files.write(journal(), bytes);

        Timeline rebooted = open(Fsync.BATCH);
        List<Chirp> survived = rebooted.chirps();
        Chirp c = post(rebooted, "c");
        Timeline again = open(Fsync.BATCH);

        assertTrue(bytes.length > bEnd, "the journal should have been zero-filled ahead of its records");
        assertEquals(List.of(a), survived, "what survived the torn record");
        assertEquals(List.of(c, a), again.chirps(), "a post after the repair follows the whole records");
        assertEquals(List.of("chirps.json.journal"), fileNames(), "nothing set aside for a torn tail");
    }

    @Test
    void zerosAheadOfTheRecordsAreNotReadAsDamageAfterACrash() throws Exception {
        Timeline crashed = open(Fsync.BATCH);
        Chirp a = post(crashed, "a");
        Chirp b = post(crashed, "b");
        long zerosAhead = Files.size(journal()) - recordsEnd();

        Timeline rebooted = open(Fsync.BATCH);

        assertTrue(zerosAhead > 0, "the journal should have been zero-filled ahead of its records");
        assertEquals(List.of(b, a), rebooted.chirps());
        assertEquals(List.of("chirps.json.journal"), fileNames(), "nothing set aside");
    }

    @Test
    void damagedMiddleRecordIsSkippedAndTheJournalKeptAsideByteForByte() throws Exception {
        Timeline crashed = open(Fsync.BATCH);
        Chirp a = post(crashed, "a");
        long bAt = recordsEnd();
        post(crashed, "b");
        Chirp c = post(crashed, "c");
        byte[] damaged = Files.readAllBytes(journal());
        damaged[(int) bAt + Journal.RECORD_HEADER + 3] ^= 0x01;
        Files.write(journal(), damaged);

        Timeline rebooted = open(Fsync.BATCH);

        assertEquals(List.of(c, a), rebooted.chirps());
        Path aside = folder.resolve("chirps.json.journal.damaged-20251203T172517Z");
        assertArrayEquals(damaged, Files.readAllBytes(aside), "the damaged journal, kept as it was");
        assertEquals(Journal.MAGIC.length, Files.size(journal()), "a fresh journal");
        assertTrue(Files.readString(dump()).contains("\"text\":\"c\""), "recovered chirps go to the dump at once");
    }

    @Test
    void damagedJournalsInTheSameSecondAreKeptUnderDistinctNames() throws Exception {
        for (int round = 0; round < 2; round++) {
            Timeline crashed = open(Fsync.BATCH);
            post(crashed, "a" + round);
            post(crashed, "b" + round);
            byte[] bytes = Files.readAllBytes(journal());
            bytes[Journal.MAGIC.length + Journal.RECORD_HEADER + 2] ^= 0x01;
            Files.write(journal(), bytes);
            open(Fsync.BATCH);
        }

        assertTrue(fileNames().containsAll(List.of("chirps.json.journal.damaged-20251203T172517Z",
                "chirps.json.journal.damaged-20251203T172517Z-2")), fileNames().toString());
    }

    @Test
    void manyQueuedPostsAreAllStoredInOrder() throws Exception {
        Timeline crashed = open(Fsync.BATCH);
        List<java.util.concurrent.CompletableFuture<Chirp>> posts = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            posts.add(crashed.post("calmotter7", "n" + i));
        }
        List<Chirp> stored = new ArrayList<>();
        for (var post : posts) {
            stored.add(post.get(10, SECONDS));
        }

        Timeline rebooted = open(Fsync.BATCH, 5000);

        List<Chirp> newestFirst = new ArrayList<>(stored);
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, rebooted.chirps());
    }

    private Timeline open(Fsync fsync) {
        return open(fsync, 100);
    }

    private Timeline open(Fsync fsync, int maxChirps) {
        Timeline timeline = Timeline.builder().clock(clock).flushEvery(NO_TIMER).maxChirps(maxChirps)
                .dumpPath(dump()).fsync(fsync).build();
        opened.add(timeline);
        return timeline;
    }

    private static Chirp post(Timeline timeline, String text) throws Exception {
        return timeline.post("calmotter7", text).get(5, SECONDS);
    }

    private Path dump() {
        return folder.resolve("chirps.json");
    }

    private Path journal() {
        return folder.resolve("chirps.json.journal");
    }

    /** Returns where the journal's last whole record ends, before the zeros written ahead. */
    private long recordsEnd() throws IOException {
        return Journal.read(Files.readAllBytes(journal())).validEnd();
    }

    private static void truncate(Path file, long size) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private List<String> fileNames() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
