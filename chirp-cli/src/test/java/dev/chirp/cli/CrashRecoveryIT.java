package dev.chirp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code chirp serve} with SIGKILL at random moments while several clients post, restarts
 * it on the same files, and checks that every chirp that got a 2xx is there exactly once and in
 * the order it was acknowledged. Set {@code -Dchirp.crash.seed=N} to replay a run.
 */
class CrashRecoveryIT {

    private static final int ROUNDS = 20;
    private static final int POSTERS = 4;
    private static final Duration BUDGET = Duration.ofSeconds(150);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedChirpSurvivesKillNineExactlyOnceAndInOrder() throws Exception {
        long seed = Long.getLong("chirp.crash.seed", System.nanoTime());
        System.out.println("CrashRecoveryIT seed " + seed + " (replay with -Dchirp.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        Path dump = dir.resolve("chirps.dump");
        List<List<String>> acknowledged = new ArrayList<>();
        Set<String> sent = new HashSet<>();
        long deadline = System.nanoTime() + BUDGET.toNanos();
        ExecutorService posters = Executors.newFixedThreadPool(POSTERS);

        try {
            for (int round = 0; round <= ROUNDS; round++) {
                String fsync = random.nextInt(4) == 0 ? "always" : "batch";
                String flushEvery = List.of("200ms", "1s", "10s").get(random.nextInt(3));
                ChirpProcess chirp = ChirpProcess.start(List.of("--dump-path", dump.toString(), "--rate-limit", "off",
                        "--max-chirps", "1000000", "--fsync", fsync, "--flush-every", flushEvery));
                try {
                    check(chirp.feed(http), acknowledged, sent, "after restart " + round + " (seed " + seed + ")\n"
                            + chirp.log());
                    if (round == ROUNDS) {
                        break;
                    }
                    assertTrue(System.nanoTime() < deadline, "the crash test ran out of time at round " + round);
                    postUntilKilled(chirp, round, 150 + random.nextInt(1000), posters, acknowledged, sent);
                } finally {
                    chirp.close();
                }
            }
        } finally {
            posters.shutdownNow();
        }
        long total = acknowledged.stream().mapToLong(List::size).sum();
        System.out.println("CrashRecoveryIT: " + ROUNDS + " kill -9 rounds, " + total + " acknowledged chirps, "
                + sent.size() + " sent");
        assertTrue(total > ROUNDS * POSTERS, "too few chirps were acknowledged to prove anything: " + total);
    }

    /** Posts from several threads and kills the server after {@code millis}, mid-stream. */
    private void postUntilKilled(ChirpProcess chirp, int round, int millis, ExecutorService posters,
            List<List<String>> acknowledged, Set<String> sent) throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        List<Future<List<String>>> threads = new ArrayList<>();
        List<String> tried = new CopyOnWriteArrayList<>();
        for (int t = 0; t < POSTERS; t++) {
            int poster = t;
            threads.add(posters.submit(() -> {
                List<String> mine = new ArrayList<>();
                for (int n = 0; !killed.get(); n++) {
                    String text = "r" + round + "-p" + poster + "-" + n;
                    tried.add(text);
                    try {
                        HttpResponse<String> response = chirp.post(http, text);
                        if (response.statusCode() / 100 == 2) {
                            mine.add(text);
                        }
                    } catch (java.io.IOException e) {
                        // The server died under this post: it may or may not be stored.
                        if (!killed.get()) {
                            Thread.sleep(5);
                        }
                    }
                }
                return mine;
            }));
        }

        Thread.sleep(millis);
        chirp.kill();
        killed.set(true);
        for (Future<List<String>> thread : threads) {
            acknowledged.add(thread.get(30, TimeUnit.SECONDS));
        }
        sent.addAll(tried);
    }

    /**
     * Checks the feed: ids strictly increasing, no text twice, nothing never sent, every
     * acknowledged chirp present, and each poster's chirps in the order they were acknowledged.
     */
    private static void check(List<ChirpProcess.Item> feed, List<List<String>> acknowledged, Set<String> sent,
            String context) {
        Map<String, Integer> position = new HashMap<>();
        long previousId = 0;
        for (int i = 0; i < feed.size(); i++) {
            ChirpProcess.Item item = feed.get(i);
            if (item.id() <= previousId) {
                fail("ids not strictly increasing at " + item + " after id " + previousId + ", " + context);
            }
            previousId = item.id();
            if (position.put(item.text(), i) != null) {
                fail("chirp stored twice: " + item.text() + ", " + context);
            }
            if (!sent.contains(item.text())) {
                fail("chirp nobody sent: " + item.text() + ", " + context);
            }
        }
        for (List<String> poster : acknowledged) {
            int previous = -1;
            for (String text : poster) {
                Integer at = position.get(text);
                if (at == null) {
                    fail("acknowledged chirp lost: " + text + ", " + context);
                }
                assertTrue(at > previous, () -> "acknowledged out of order: " + text + ", " + context);
                previous = at;
            }
        }
        int previousRoundLast = -1;
        for (int round = 0; round * POSTERS < acknowledged.size(); round++) {
            List<List<String>> posters = acknowledged.subList(round * POSTERS, (round + 1) * POSTERS);
            int first = posters.stream().flatMap(List::stream).mapToInt(text -> position.getOrDefault(text, -1))
                    .min().orElse(Integer.MAX_VALUE);
            assertTrue(first > previousRoundLast, "round " + round + " interleaves with the round before, " + context);
            previousRoundLast = Math.max(previousRoundLast, posters.stream().flatMap(List::stream)
                    .mapToInt(text -> position.getOrDefault(text, -1)).max().orElse(-1));
        }
        assertEquals(position.size(), feed.size(), "feed size");
    }
}
