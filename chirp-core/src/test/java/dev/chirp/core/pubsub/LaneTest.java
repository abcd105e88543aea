package dev.chirp.core.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.Chirp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LaneTest {

    private static final Encoding<ByteBuffer> TEXT = Encoding.of("text", 100,
            chirp -> ByteBuffer.wrap((chirp.text() + ";").getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());

    /** Runs the lane's tasks on the test's own thread, when the test says so. */
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final List<Long> delays = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Lane lane = new Lane(Thread.currentThread(), (task, delay) -> {
        tasks.add(task);
        delays.add(delay);
    }, now::get);
    private ExecutorService pool;

    @AfterEach
    void stopPool() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Test
    void chirpsPublishedBetweenRoundsReachEachMemberInOneBatchOldestFirst() {
        List<String> one = new ArrayList<>();
        List<String> two = new ArrayList<>();
        lane.join(recorder(one), 0);
        lane.join(recorder(two), 0);

        lane.deliver(broadcast(1, "a"));
        lane.deliver(broadcast(2, "b"));
        lane.deliver(broadcast(3, "c"));

        assertEquals(1, tasks.size(), "rounds scheduled for three chirps");
        runTasks();
        assertEquals(List.of("a;b;c;"), one, "what the first member got, write by write");
        assertEquals(List.of("a;b;c;"), two, "what the second member got, write by write");
    }

    @Test
    void aMemberGetsOnlyWhatIsNewerThanWhatItAlreadyHas() {
        List<String> behind = new ArrayList<>();
        List<String> current = new ArrayList<>();
        List<String> ahead = new ArrayList<>();
        lane.join(recorder(behind), 0);
        lane.join(recorder(current), 2);
        lane.join(recorder(ahead), 3);

        lane.deliver(broadcast(1, "a"));
        lane.deliver(broadcast(2, "b"));
        lane.deliver(broadcast(3, "c"));
        runTasks();
        lane.deliver(broadcast(4, "d"));
        runTasks();

        assertEquals(List.of("a;b;c;", "d;"), behind);
        assertEquals(List.of("c;", "d;"), current);
        assertEquals(List.of("d;"), ahead, "a member that had the whole first round skips it");
    }

    @Test
    void aMemberThatLeavesDuringARoundDoesNotCostTheOthersTheirChirps() {
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        AtomicReference<Lane.Seat> quitter = new AtomicReference<>();
        List<String> quitterGot = new ArrayList<>();
        lane.join(recorder(before), 0);
        quitter.set(lane.join((batch, from) -> {
            quitterGot.add(joinedFrom(batch, from));
            quitter.get().leave();
        }, 0));
        lane.join(recorder(after), 0);

        lane.deliver(broadcast(1, "a"));
        runTasks();
        lane.deliver(broadcast(2, "b"));
        runTasks();

        assertEquals(List.of("a;", "b;"), before);
        assertEquals(List.of("a;", "b;"), after);
        assertEquals(List.of("a;"), quitterGot, "the member that left");
        assertEquals(2, lane.size(), "members left");
    }

    @Test
    void aMemberThatFailsIsDroppedAndTheOthersStillGetTheRound() {
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        lane.join(recorder(before), 0);
        lane.join((batch, from) -> {
            throw new IllegalStateException("connection gone");
        }, 0);
        lane.join(recorder(after), 0);

        lane.deliver(broadcast(1, "a"));
        runTasks();
        lane.deliver(broadcast(2, "b"));
        runTasks();

        assertEquals(List.of("a;", "b;"), before);
        assertEquals(List.of("a;", "b;"), after);
        assertEquals(2, lane.size(), "members left");
    }

    @Test
    void aLaneRestsInProportionToItsLastRoundAndNeverLongerThanTheCap() {
        lane.join((batch, from) -> now.addAndGet(TimeUnit.MILLISECONDS.toNanos(3)), 0);

        lane.deliver(broadcast(1, "a"));
        runTasks();
        lane.deliver(broadcast(2, "b"));
        lane.join((batch, from) -> now.addAndGet(TimeUnit.SECONDS.toNanos(1)), 0);
        runTasks();
        lane.deliver(broadcast(3, "c"));

        assertEquals(List.of(0L, TimeUnit.MILLISECONDS.toNanos(3) * Lane.REST_FACTOR, Lane.MAX_REST), delays,
                "delays asked for before each round");
    }

    @Test
    void joiningFromAnotherThreadIsRefused() throws Exception {
        pool = Executors.newSingleThreadExecutor();

        var refused = pool.submit(() -> assertThrows(IllegalStateException.class,
                () -> lane.join((batch, from) -> { }, 0))).get(5, TimeUnit.SECONDS);

        assertTrue(refused.getMessage().contains("instead of its own thread"), refused.getMessage());
    }

    @Test
    void membersJoiningWhileChirpsArePublishedMissAndRepeatNothing() throws Exception {
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
        pool = loop;
        // Stands in for the feed: the newest id published so far, as a connection reads it.
        AtomicLong published = new AtomicLong();
        PubSub pubSub = PubSub.inProcess();
        Lanes fed = new Lanes(pubSub, thread -> (task, delay) -> loop.schedule(task, delay, TimeUnit.NANOSECONDS));
        Map<Integer, List<Long>> received = new ConcurrentHashMap<>();
        Map<Integer, Long> joinedAfter = new ConcurrentHashMap<>();
        int total = 20_000;
        int members = 50;

        Thread publisher = new Thread(() -> {
            for (long id = 1; id <= total; id++) {
                // The store records a chirp before it publishes it.
                published.set(id);
                pubSub.publish(new Chirp(id, "calmotter7", "c" + id, Instant.EPOCH));
            }
        });
        publisher.start();
        for (int m = 0; m < members; m++) {
            int member = m;
            loop.submit(() -> {
                Lane mine = fed.current();
                long has = published.get();
                List<Long> ids = new ArrayList<>();
                received.put(member, ids);
                joinedAfter.put(member, has);
                mine.join((batch, from) -> {
                    for (int i = from; i < batch.size(); i++) {
                        ids.add(batch.get(i).chirp().id());
                    }
                }, has);
            }).get(5, TimeUnit.SECONDS);
        }
        publisher.join(TimeUnit.SECONDS.toMillis(30));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !loop.submit(() -> received.values().stream()
                .allMatch(ids -> !ids.isEmpty() && ids.get(ids.size() - 1) == total)).get()) {
            Thread.sleep(10);
        }

        for (int m = 0; m < members; m++) {
            List<Long> got = loop.submit(copyOf(received, m)).get();
            long first = joinedAfter.get(m) + 1;
            assertEquals(total - first + 1, got.size(), "chirps member " + m + " got after joining at " + first);
            for (int i = 0; i < got.size(); i++) {
                assertEquals(first + i, got.get(i), "member " + m + ", chirp " + i);
            }
        }
    }

    private static java.util.concurrent.Callable<List<Long>> copyOf(Map<Integer, List<Long>> received, int member) {
        return () -> List.copyOf(received.get(member));
    }

    private void runTasks() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            task.run();
        }
    }

    private static Lane.Member recorder(List<String> writes) {
        return (batch, from) -> writes.add(joinedFrom(batch, from));
    }

    private static String joinedFrom(Batch batch, int from) {
        ByteBuffer joined = batch.joined(TEXT);
        joined.limit(joined.capacity()).position(batch.start(TEXT, from));
        return StandardCharsets.UTF_8.decode(joined).toString();
    }

    private static Broadcast broadcast(long id, String text) {
        return new Broadcast(new Chirp(id, "calmotter7", text, Instant.EPOCH));
    }
}
