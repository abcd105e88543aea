package dev.chirp.core.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chirp.core.Chirp;
import dev.chirp.core.MutableClock;
import dev.chirp.core.pubsub.PubSub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TimelineTest {

    private static final String NOW = "2025-12-03T17:25:17.123Z";
    /** {@link #NOW} in Unix microseconds: the first id a timeline hands out at that time. */
    private static final long NOW_MICROS = 1_764_782_717_123_000L;
    private static final Instant NOW_SECOND = Instant.parse("2025-12-03T17:25:17Z");
    private static final String ASIDE_NAME = "chirps.json.corrupt-20251203T172517Z";
    /** Long enough that the flush timer never fires during a test. */
    private static final Duration NO_TIMER = Duration.ofHours(1);
    private static final String BIRD = "\uD83D\uDC26";

    @TempDir
    Path folder;

    private final MutableClock clock = MutableClock.at(NOW);
    private final List<Timeline> opened = new ArrayList<>();

    @AfterEach
    void closeTimelines() {
        opened.forEach(Timeline::close);
    }

    @Test
    void keepsTheNewestChirpsFirstUpToTheCap() throws Exception {
        Timeline timeline = open(builder().maxChirps(3));

        for (String text : List.of("one", "two", "three", "four", "five")) {
            post(timeline, text);
        }

        assertEquals(List.of("five", "four", "three"), texts(timeline.chirps()));
    }

    @Test
    void postReturnsTheStoredChirpStampedToTheSecond() throws Exception {
        Timeline timeline = open(builder());

        Chirp chirp = timeline.post("calmotter7", "hello").get(5, SECONDS);

        assertEquals(new Chirp(NOW_MICROS, "calmotter7", "hello", NOW_SECOND), chirp);
        assertEquals(List.of(chirp), timeline.chirps());
        assertEquals(chirp.id(), timeline.lastId());
    }

    @Test
    void chirpsIsAnImmutableSnapshotThatLaterPostsDoNotChange() throws Exception {
        Timeline timeline = open(builder());
        Chirp first = post(timeline, "first");
        List<Chirp> snapshot = timeline.chirps();

        post(timeline, "second");

        assertEquals(List.of(first), snapshot, "an earlier snapshot must not see a later post");
        assertThrows(UnsupportedOperationException.class, () -> snapshot.add(first));
    }

    @Test
    void idsFollowTheClockInMicrosecondsWhileItMovesForward() throws Exception {
        Timeline timeline = open(builder());
        Chirp first = post(timeline, "first");

        clock.advance(Duration.ofMillis(1500));
        Chirp second = post(timeline, "second");

        assertEquals(NOW_MICROS, first.id());
        assertEquals(NOW_MICROS + 1_500_000, second.id());
    }

    @Test
    void idsKeepIncreasingWhileTheClockStandsStill() throws Exception {
        Timeline timeline = open(builder());

        List<Long> ids = new ArrayList<>();
        for (String text : List.of("a", "b", "c")) {
            ids.add(post(timeline, text).id());
        }

        assertEquals(List.of(NOW_MICROS, NOW_MICROS + 1, NOW_MICROS + 2), ids);
    }

    @Test
    void idsKeepIncreasingWhenTheClockGoesBackwards() throws Exception {
        Timeline timeline = open(builder());
        Chirp before = post(timeline, "before");

        clock.advance(Duration.ofHours(-1));
        Chirp after = post(timeline, "after");

        assertEquals(before.id() + 1, after.id(), "an id after the clock went back");
        assertEquals(List.of(after, before), timeline.chirps());
    }

    @Test
    void clearEmptiesTheFeedButKeepsItsIdsUsed() throws Exception {
        Timeline timeline = open(builder());
        post(timeline, "a");
        Chirp last = post(timeline, "b");

        timeline.clear().get(5, SECONDS);
        Chirp next = post(timeline, "c");

        assertEquals(last.id() + 1, next.id(), "the first id after a clear");
        assertEquals(List.of(next), timeline.chirps());
    }

    @Test
    void idsAreNeverReusedAfterARestartEvenWithTheClockSetBack() throws Exception {
        Timeline first = open(onDump());
        post(first, "a");
        Chirp last = post(first, "b");
        first.close();
        clock.set(Instant.parse("2000-01-01T00:00:00Z"));

        Timeline second = open(onDump());
        Chirp next = post(second, "c");

        assertEquals(last.id() + 1, next.id(), "the first id after the restart");
    }

    @Test
    void idsAreNeverReusedAfterAClearAndARestart() throws Exception {
        Timeline first = open(onDump());
        Chirp last = post(first, "a");
        first.clear().get(5, SECONDS);
        first.close();

        Timeline second = open(onDump());
        long lastIdAfterRestart = second.lastId();
        Chirp next = post(second, "b");

        assertEquals(last.id(), lastIdAfterRestart, "lastId after the clear and the restart");
        assertEquals(last.id() + 1, next.id(), "the first id after the clear and the restart");
        assertEquals(List.of(next), second.chirps());
    }

    @Test
    void readersSeeWholeNewestFirstSnapshotsWhileWritersPost() throws Exception {
        int cap = 10;
        int writers = 4;
        int postsEach = 250;
        // The clock stands still, so ids are consecutive and a whole snapshot is predictable.
        Timeline timeline = open(builder().maxChirps(cap));
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(writers + 3);

        try {
            List<Future<Integer>> writerTasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String handle = "writer" + w;
                writerTasks.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < postsEach; i++) {
                        ids.add(timeline.post(handle, "chirp " + i).get(5, SECONDS).id());
                    }
                    return postsEach;
                }));
            }
            List<Future<Integer>> readerTasks = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readerTasks.add(threads.submit(() -> {
                    start.await();
                    int snapshots = 0;
                    do {
                        checkWholeSnapshot(timeline.chirps(), cap);
                        snapshots++;
                    } while (writing.get());
                    return snapshots;
                }));
            }
            start.countDown();
            for (Future<Integer> task : writerTasks) {
                await(task);
            }
            writing.set(false);
            for (Future<Integer> task : readerTasks) {
                assertTrue(await(task) > 0, "each reader checked at least one snapshot");
            }
        } finally {
            threads.shutdownNow();
        }

        long total = (long) writers * postsEach;
        assertEquals(total, ids.size(), "distinct ids handed out");
        assertEquals(NOW_MICROS + total - 1, timeline.lastId());
        List<Long> newest = LongStream.range(0, cap).map(n -> NOW_MICROS + total - 1 - n)
                .boxed().collect(Collectors.toList());
        assertEquals(newest, ids(timeline.chirps()));
    }

    @Test
    void postPublishesEachChirpInFeedOrderBeforeItCompletes() throws Exception {
        PubSub pubSub = PubSub.inProcess();
        List<Chirp> delivered = new CopyOnWriteArrayList<>();
        pubSub.subscribe(broadcast -> delivered.add(broadcast.chirp()));
        Timeline timeline = open(builder().pubSub(pubSub));

        Chirp first = post(timeline, "first");
        List<Chirp> afterFirst = List.copyOf(delivered);
        Chirp second = post(timeline, "second");
        Chirp third = post(timeline, "third");

        assertEquals(List.of(first), afterFirst, "delivered by the time the first post completed");
        assertEquals(List.of(first, second, third), delivered);
    }

    @Test
    void dumpRoundTripKeepsChirpsIdsHandlesTextsAndSeconds() throws Exception {
        Timeline first = open(onDump());
        post(first, "calmotter7", "plain");
        clock.advance(Duration.ofMillis(1500));
        post(first, "boldwren42", "\"quotes\", \\ </script> line\nbreak " + BIRD);
        List<Chirp> before = first.chirps();
        long lastId = first.lastId();

        first.close();
        Timeline second = open(onDump());

        assertEquals(before, second.chirps());
        assertEquals(lastId, second.lastId());
        assertEquals(List.of(NOW_SECOND.plusSeconds(1), NOW_SECOND),
                second.chirps().stream().map(Chirp::at).collect(Collectors.toList()));
    }

    @Test
    void flushWritesTheDocumentedJsonFormat() throws Exception {
        Timeline timeline = open(onDump());
        Chirp older = post(timeline, "calmotter7", "hi");
        clock.advance(Duration.ofSeconds(2));
        Chirp newer = post(timeline, "boldwren42", "bird " + BIRD);

        timeline.flush();

        JsonNode root = new ObjectMapper().readTree(Files.readString(dump(), UTF_8));
        assertEquals(List.of("format", "version", "lastId", "chirps"), fieldNames(root));
        assertEquals("chirp-dump", root.get("format").textValue());
        assertTrue(root.get("version").isInt(), "version is a JSON integer: " + root);
        assertEquals(1, root.get("version").intValue());
        assertEquals(newer.id(), root.get("lastId").longValue());
        JsonNode chirps = root.get("chirps");
        assertEquals(2, chirps.size(), "chirps in " + root);
        assertChirpJson(newer, chirps.get(0));
        assertChirpJson(older, chirps.get(1));
    }

    @Test
    void flushLeavesNoTemporaryFileBehind() throws Exception {
        Timeline timeline = open(onDump());
        post(timeline, "hi");

        timeline.flush();

        assertEquals(List.of("chirps.json"), fileNames());
    }

    @Test
    void flushWithoutChangesWritesNothing() throws Exception {
        Timeline timeline = open(onDump());

        timeline.flush();

        assertFalse(Files.exists(dump()), "a dump was written for a feed that never changed");
    }

    @Test
    void loadingKeepsOnlyTheNewestChirpsThatFitTheCap() throws Exception {
        Timeline first = open(onDump());
        for (String text : List.of("a", "b", "c", "d")) {
            post(first, text);
        }
        long lastId = first.lastId();
        first.close();

        Timeline second = open(onDump().maxChirps(2));

        assertEquals(List.of("d", "c"), texts(second.chirps()));
        assertEquals(lastId, second.lastId());
    }

    @Test
    void unknownFieldsInTheDumpAreIgnored() throws Exception {
        Files.writeString(dump(), """
                {"format": "chirp-dump", "note": {"by": [1, 2]}, "version": 1, "lastId": 9,
                 "chirps": [{"id": 7, "likes": 3, "handle": "calmotter7", "text": "hi",
                             "at": 1764782717}]}""");

        Timeline timeline = open(onDump());

        assertEquals(List.of(new Chirp(7, "calmotter7", "hi", NOW_SECOND)), timeline.chirps());
        assertEquals(9, timeline.lastId());
    }

    @Test
    void leftoverTemporaryFileIsRemovedAndTheDumpIsIntact() throws Exception {
        Timeline first = open(onDump());
        post(first, "a");
        post(first, "b");
        List<Chirp> saved = first.chirps();
        first.close();
        Files.writeString(folder.resolve("chirps.json.tmp"), "{\"format\":\"chirp-dump\",\"vers");

        Timeline second = open(onDump());

        assertEquals(saved, second.chirps());
        assertEquals(List.of("chirps.json"), fileNames());
    }

    @Test
    void completeTemporaryFileNewerThanTheDumpBecomesTheDump() throws Exception {
        byte[] older = dumpAfterPosting("a");
        byte[] newer = dumpAfterPosting("b");
        Files.write(folder.resolve("chirps.json.tmp"), newer);
        Files.write(dump(), older);

        Timeline third = open(onDump());

        assertEquals(List.of("b", "a"), texts(third.chirps()),
                "the complete, newer write whose rename never happened");
        assertEquals(List.of("chirps.json"), fileNames());
        assertTrue(Files.readString(dump()).contains("\"b\""), "the recovered write is now the dump");
    }

    @Test
    void completeTemporaryFileOlderThanTheDumpIsRemoved() throws Exception {
        byte[] older = dumpAfterPosting("a");
        dumpAfterPosting("b");
        Files.write(folder.resolve("chirps.json.tmp"), older);

        Timeline third = open(onDump());

        assertEquals(List.of("b", "a"), texts(third.chirps()));
        assertEquals(List.of("chirps.json"), fileNames());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptDumps")
    void corruptDumpIsMovedAsideByteForByteAndTheFeedStartsEmpty(String kind, byte[] bytes)
            throws Exception {
        Files.write(dump(), bytes);

        Timeline timeline = open(onDump());

        assertEquals(List.of(ASIDE_NAME), fileNames());
        byte[] aside = Files.readAllBytes(folder.resolve(ASIDE_NAME));
        assertArrayEquals(bytes, aside, "bytes moved aside");
        assertEquals(List.of(), timeline.chirps());
        assertEquals(0, timeline.lastId());
    }

    @Test
    void flushAfterACorruptDumpWritesAFreshDumpAndLeavesTheAsideFileAlone() throws Exception {
        byte[] torn = "{\"format\":\"chirp-dump\",\"version\":1,\"lastId\":".getBytes(UTF_8);
        Files.write(dump(), torn);
        Timeline first = open(onDump());
        Chirp chirp = post(first, "fresh");

        first.flush();
        first.close();
        Timeline second = open(onDump());

        assertEquals(List.of("chirps.json", ASIDE_NAME), fileNames());
        byte[] aside = Files.readAllBytes(folder.resolve(ASIDE_NAME));
        assertArrayEquals(torn, aside, "aside file bytes");
        assertEquals(List.of(chirp), second.chirps());
    }

    @Test
    void corruptDumpsInTheSameSecondAreMovedAsideUnderDistinctNames() throws Exception {
        Files.writeString(dump(), "first garbage");
        open(onDump()).close();
        Files.writeString(dump(), "second garbage");

        open(onDump());

        assertEquals(List.of(ASIDE_NAME, ASIDE_NAME + "-2"), fileNames());
        assertEquals("first garbage", Files.readString(folder.resolve(ASIDE_NAME)));
        assertEquals("second garbage", Files.readString(folder.resolve(ASIDE_NAME + "-2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("newerDumps")
    void dumpFromANewerVersionFailsTheBuildAndStaysUntouched(String kind, String json)
            throws Exception {
        Files.writeString(dump(), json);
        Timeline.Builder builder = onDump();

        IllegalStateException thrown = assertThrows(IllegalStateException.class, builder::build);

        assertEquals("dump file " + dump() + " has version 2; this Chirp reads version 1;"
                + " upgrade Chirp or point --dump-path elsewhere", thrown.getMessage());
        assertEquals(List.of("chirps.json"), fileNames());
        assertEquals(json, Files.readString(dump()));
    }

    @Test
    void dumpPathInAMissingFolderIsRejected() {
        Path missing = folder.resolve("missing");
        Timeline.Builder builder = Timeline.builder();

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> builder.dumpPath(missing.resolve("chirps.json")));

        assertEquals("dump path " + missing.resolve("chirps.json") + ": folder " + missing
                + " does not exist", thrown.getMessage());
    }

    @Test
    void dumpPathIsKeptAbsoluteAndNormalized() {
        Path roundabout = folder.resolve("sub").resolve("..").resolve("chirps.json");

        Timeline timeline = open(builder().dumpPath(roundabout));

        assertEquals(Optional.of(dump()), timeline.dumpPath());
    }

    @Test
    void dumpPathThatIsAFolderIsRejected() {
        Timeline.Builder builder = Timeline.builder();

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> builder.dumpPath(folder));

        assertEquals("dump path " + folder + " is a folder, not a file", thrown.getMessage());
    }

    @Test
    void maxChirpsBelowOneIsRejected() {
        Timeline.Builder builder = Timeline.builder();

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> builder.maxChirps(0));

        assertEquals("max chirps must be at least 1, got 0", thrown.getMessage());
    }

    @Test
    void flushIntervalMustBePositive() {
        Timeline.Builder builder = Timeline.builder();

        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> builder.flushEvery(Duration.ZERO));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> builder.flushEvery(Duration.ofSeconds(-1)));

        assertEquals("flush interval must be positive, got PT0S", zero.getMessage());
        assertEquals("flush interval must be positive, got PT-1S", negative.getMessage());
    }

    @Test
    void postAfterCloseFailsWithoutStoringAnything() throws Exception {
        Timeline timeline = open(builder());
        timeline.close();

        CompletableFuture<Chirp> late = timeline.post("calmotter7", "too late");

        ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> late.get(5, SECONDS));
        assertInstanceOf(IllegalStateException.class, thrown.getCause());
        assertEquals("the timeline is closed", thrown.getCause().getMessage());
        assertEquals(List.of(), timeline.chirps());
    }

    @Test
    void postRacingCloseIsEitherDumpedOrRefusedNeverLeftHanging() throws Exception {
        // A subscriber holds the writer thread inside the first post until the test lets go.
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        PubSub pubSub = PubSub.inProcess();
        pubSub.subscribe(broadcast -> {
            held.countDown();
            awaitQuietly(release);
        });
        Timeline timeline = open(onDump().pubSub(pubSub));
        CompletableFuture<Chirp> first = timeline.post("calmotter7", "first");
        assertTrue(held.await(5, SECONDS), "the writer never reached the subscriber");
        Thread closer = new Thread(timeline::close, "closer");
        closer.start();
        awaitParked(closer);

        CompletableFuture<Chirp> racing = timeline.post("calmotter7", "racing");
        release.countDown();
        closer.join(5_000);

        assertFalse(closer.isAlive(), "close() did not return");
        Chirp stored = first.get(5, SECONDS);
        List<String> dumped = texts(open(onDump()).chirps());
        assertTrue(dumped.contains(stored.text()), "a post done before close is dumped: " + dumped);
        try {
            Chirp late = racing.get(5, SECONDS);
            assertTrue(dumped.contains(late.text()), "an accepted racer is dumped: " + dumped);
        } catch (ExecutionException refused) {
            assertEquals("the timeline is closed", refused.getCause().getMessage());
            assertFalse(dumped.contains("racing"), "a refused post is not dumped: " + dumped);
        }
    }

    static Stream<Arguments> corruptDumps() {
        String valid = """
                {"format": "chirp-dump", "version": 1, "lastId": 5, "chirps": [
                  {"id": 5, "handle": "calmotter7", "text": "b", "at": 1764782717},
                  {"id": 3, "handle": "calmotter7", "text": "a", "at": 1764782716}]}""";
        String oldestFirst = """
                {"format": "chirp-dump", "version": 1, "lastId": 5, "chirps": [
                  {"id": 3, "handle": "calmotter7", "text": "a", "at": 1764782716},
                  {"id": 5, "handle": "calmotter7", "text": "b", "at": 1764782717}]}""";
        byte[] garbage = {(byte) 0x8f, 0x00, (byte) 0xff, 0x13, 0x37, (byte) 0xc3, 0x28, 0x7b,
            (byte) 0xa0, (byte) 0xa1, 0x0a, 0x22, (byte) 0xe2, 0x28, (byte) 0xa1, 0x5d};
        return Stream.of(
                Arguments.of("garbage bytes", garbage),
                Arguments.of("empty file", new byte[0]),
                corrupt("truncated JSON", valid.substring(0, valid.length() / 2)),
                corrupt("wrong format name", valid.replace("chirp-dump", "chirp-backup")),
                corrupt("chirps oldest first", oldestFirst),
                corrupt("repeated id", valid.replace("\"id\": 3", "\"id\": 5")),
                corrupt("lastId below a chirp id", valid.replace("\"lastId\": 5", "\"lastId\": 4")),
                corrupt("chirp without text", valid.replace("\"text\": \"a\",", "")),
                corrupt("chirp id zero", valid.replace("\"id\": 3", "\"id\": 0")),
                corrupt("no version", valid.replace("\"version\": 1,", "")),
                corrupt("an array", "[]"),
                corrupt("trailing content", valid + "{}"));
    }

    static Stream<Arguments> newerDumps() {
        return Stream.of(
                Arguments.of("same shape", """
                        {"format": "chirp-dump", "version": 2, "lastId": 5, "chirps": [
                          {"id": 5, "handle": "calmotter7", "text": "hi", "at": 1764782717}]}"""),
                Arguments.of("new chirp shape", """
                        {"format": "chirp-dump", "version": 2, "lastId": 5, "chirps": [
                          {"id": 5, "by": "calmotter7", "at": "2025-12-03T17:25:17Z"}]}"""),
                Arguments.of("version after a new chirps shape", """
                        {"format": "chirp-dump", "chirps": {"pages": ["chirps-1.json"]},
                         "version": 2, "lastId": 5}"""));
    }

    private static Arguments corrupt(String kind, String json) {
        return Arguments.of(kind, json.getBytes(UTF_8));
    }

    private Timeline.Builder builder() {
        return Timeline.builder().clock(clock).flushEvery(NO_TIMER);
    }

    private Timeline.Builder onDump() {
        return builder().dumpPath(dump());
    }

    private Timeline open(Timeline.Builder builder) {
        Timeline timeline = builder.build();
        opened.add(timeline);
        return timeline;
    }

    /** Opens the timeline on the dump, posts one chirp, closes it and returns the dump's bytes. */
    private byte[] dumpAfterPosting(String text) throws Exception {
        Timeline timeline = open(onDump());
        post(timeline, text);
        timeline.close();
        return Files.readAllBytes(dump());
    }

    private Path dump() {
        return folder.resolve("chirps.json");
    }

    /** The files in the folder, but for the journal that lives beside every dump. */
    private List<String> fileNames() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted()
                    .filter(name -> !name.equals("chirps.json.journal"))
                    .collect(Collectors.toList());
        }
    }

    private static Chirp post(Timeline timeline, String text) throws Exception {
        return post(timeline, "calmotter7", text);
    }

    private static Chirp post(Timeline timeline, String handle, String text) throws Exception {
        return timeline.post(handle, text).get(5, SECONDS);
    }

    private static List<String> texts(List<Chirp> chirps) {
        return chirps.stream().map(Chirp::text).collect(Collectors.toList());
    }

    private static List<Long> ids(List<Chirp> chirps) {
        return chirps.stream().map(Chirp::id).collect(Collectors.toList());
    }

    /** Checks a snapshot is the newest posts in a row: consecutive ids, newest first, capped. */
    private static void checkWholeSnapshot(List<Chirp> snapshot, int cap) {
        if (snapshot.isEmpty()) {
            return;
        }
        long newest = snapshot.get(0).id();
        long expectedSize = Math.min(cap, newest - NOW_MICROS + 1);
        assertEquals(expectedSize, snapshot.size(), () -> "snapshot size for " + ids(snapshot));
        for (int i = 1; i < snapshot.size(); i++) {
            assertEquals(newest - i, snapshot.get(i).id(),
                    () -> "torn or unordered snapshot " + ids(snapshot));
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertChirpJson(Chirp expected, JsonNode json) {
        assertEquals(List.of("id", "handle", "text", "at"), fieldNames(json));
        assertEquals(expected.id(), json.get("id").longValue());
        assertEquals(expected.handle(), json.get("handle").textValue());
        assertEquals(expected.text(), json.get("text").textValue());
        assertTrue(json.get("at").isIntegralNumber(), "at is a whole number of seconds: " + json);
        assertEquals(expected.at().getEpochSecond(), json.get("at").longValue());
    }

    private static <T> T await(Future<T> task) throws Exception {
        try {
            return task.get(20, SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError failure) {
                throw failure;
            }
            throw e;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until a thread parks, as close() does once it has told the writer to finish. */
    private static void awaitParked(Thread thread) {
        long deadline = System.nanoTime() + SECONDS.toNanos(5);
        while (thread.getState() != Thread.State.WAITING
                && thread.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.nanoTime() < deadline, "the closing thread never started waiting");
            Thread.onSpinWait();
        }
    }
}
