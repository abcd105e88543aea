package dev.chirp.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.Chirp;
import dev.chirp.core.FeedObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a timeline tells its observer, and whether it can write its dump. */
class TimelineObserverTest {

    /** Long enough that the flush timer never fires during a test. */
    private static final Duration NO_TIMER = Duration.ofHours(1);

    @TempDir
    Path tempDir;

    private final List<Chirp> stored = new CopyOnWriteArrayList<>();
    private final List<Boolean> flushes = new CopyOnWriteArrayList<>();
    private final FeedObserver observer = new FeedObserver() {
        @Override
        public void stored(Chirp chirp) {
            stored.add(chirp);
        }

        @Override
        public void flushed(Duration took, boolean succeeded) {
            assertTrue(!took.isNegative(), "a duration that is not negative: " + took);
            flushes.add(succeeded);
        }
    };

    @Test
    void eachStoredChirpIsReported() throws Exception {
        try (Timeline timeline = Timeline.builder().observer(observer).build()) {
            Chirp first = timeline.post("keenwren1", "one").get(5, TimeUnit.SECONDS);
            Chirp second = timeline.post("keenwren1", "two").get(5, TimeUnit.SECONDS);

            assertEquals(List.of(first, second), stored);
        }
    }

    @Test
    void eachJournalAppendIsReportedWithHowManyWritesItCarried() throws Exception {
        List<Integer> groups = new CopyOnWriteArrayList<>();
        FeedObserver journalWatcher = new FeedObserver() {
            @Override
            public void journaled(Duration took, int writes) {
                assertTrue(!took.isNegative(), "a duration that is not negative: " + took);
                groups.add(writes);
            }
        };
        try (Timeline timeline = Timeline.builder().dumpPath(tempDir.resolve("chirps.dump")).flushEvery(NO_TIMER)
                .observer(journalWatcher).build()) {
            timeline.post("keenwren1", "one").get(5, TimeUnit.SECONDS);
            timeline.post("keenwren1", "two").get(5, TimeUnit.SECONDS);
            timeline.clear().get(5, TimeUnit.SECONDS);

            assertEquals(List.of(1, 1, 1), groups, "one append per write when each waits for the last");
        }
    }

    @Test
    void eachDumpWriteIsReportedWithItsOutcome() throws Exception {
        Path folder = Files.createDirectory(tempDir.resolve("feed"));
        try (Timeline timeline = timeline(folder)) {
            timeline.post("keenwren1", "one").get(5, TimeUnit.SECONDS);
            timeline.flush();
            timeline.flush();
            timeline.post("keenwren1", "two").get(5, TimeUnit.SECONDS);
            Path away = Files.move(folder, tempDir.resolve("away"));
            assertThrows(IOException.class, timeline::flush);
            Files.move(away, folder);

            assertEquals(List.of(true, false), flushes,
                    "a write that worked, none when nothing changed, one that failed");
        }
    }

    @Test
    void writeFaultNamesTheFailureUntilAWriteWorksAgain() throws Exception {
        Path folder = Files.createDirectory(tempDir.resolve("feed"));
        try (Timeline timeline = timeline(folder)) {
            Optional<String> before = timeline.writeFault();
            timeline.post("keenwren1", "one").get(5, TimeUnit.SECONDS);
            Files.delete(folder);
            assertThrows(IOException.class, timeline::flush);
            Optional<String> failing = timeline.writeFault();
            Files.createDirectory(folder);
            timeline.flush();

            assertEquals(Optional.empty(), before, "no fault before any write");
            assertTrue(failing.orElse("").startsWith("cannot write: " + folder.resolve("chirps.dump")),
                    "the fault names the dump: " + failing);
            assertEquals(Optional.empty(), timeline.writeFault(), "cleared by a write that worked");
        }
    }

    @Test
    void aTimelineWithoutADumpHasNoWriteFault() {
        try (Timeline timeline = Timeline.builder().build()) {
            assertEquals(Optional.empty(), timeline.writeFault());
        }
    }

    private Timeline timeline(Path folder) {
        return Timeline.builder()
                .dumpPath(folder.resolve("chirps.dump"))
                .flushEvery(NO_TIMER)
                // Without a journal, a dump that cannot be written is a fault of the store.
                .fsync(Fsync.OFF)
                .observer(observer)
                .build();
    }
}
