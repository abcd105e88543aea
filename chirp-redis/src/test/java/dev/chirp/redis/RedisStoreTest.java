package dev.chirp.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.Chirp;
import dev.chirp.core.FeedObserver;
import dev.chirp.core.pubsub.PubSub;
import dev.chirp.core.store.Store;
import dev.chirp.core.store.StoreUnavailableException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

class RedisStoreTest {

    private final List<RedisStore> opened = new ArrayList<>();
    private URI redis;
    private String prefix;

    @BeforeEach
    void pickRedis() {
        redis = TestRedis.address();
        prefix = TestRedis.uniquePrefix();
    }

    @AfterEach
    void closeStores() {
        opened.forEach(RedisStore::close);
        TestRedis.removeKeys(redis, prefix);
    }

    @Test
    void aChirpIsAStreamEntryWhoseIdIsTheChirpId() throws Exception {
        RedisStore store = open(100);

        Chirp chirp = store.post("calmotter7", "hello").get(30, TimeUnit.SECONDS);

        List<StreamEntry> entries = jedis().xrange(store.streamKey(), "-", "+");
        assertEquals(1, entries.size(), "entries in the stream");
        assertEquals(new StreamEntryID(chirp.id(), 0), entries.get(0).getID(), "the entry's id");
        assertEquals(Map.of("kind", "chirp", "handle", "calmotter7", "text", "hello",
                "at", Long.toString(chirp.at().getEpochSecond())), entries.get(0).getFields());
        assertEquals(List.of(chirp), store.chirps(), "the feed once the post is answered");
        assertEquals(chirp.id(), store.lastId());
    }

    @Test
    void twoNodesHoldTheSameFeedInOneOrderWhoeverPosts() throws Exception {
        RedisStore first = open(100);
        RedisStore second = open(100);

        List<Chirp> posted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            posted.add((i % 2 == 0 ? first : second).post("h" + i, "chirp " + i).get(30, TimeUnit.SECONDS));
        }

        List<Chirp> newestFirst = new ArrayList<>(posted);
        java.util.Collections.reverse(newestFirst);
        for (int i = 1; i < posted.size(); i++) {
            assertTrue(posted.get(i).id() > posted.get(i - 1).id(), "ids grow: " + posted);
        }
        awaitFeed(first, newestFirst);
        awaitFeed(second, newestFirst);
    }

    @Test
    void theFeedKeepsItsNewestChirpsAndComesBackWhenANodeOpensIt() throws Exception {
        RedisStore store = open(3);
        List<Chirp> posted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            posted.add(store.post("h", "chirp " + i).get(30, TimeUnit.SECONDS));
        }
        store.close();

        RedisStore reopened = open(3);

        assertEquals(List.of(posted.get(4), posted.get(3), posted.get(2)), reopened.chirps());
        assertEquals(3, store.chirps().size(), "the first node's feed is capped too");
        assertEquals(posted.get(4).id(), reopened.lastId());
    }

    @Test
    void aClearEmptiesTheFeedOnEveryNodeAndStaysCleared() throws Exception {
        RedisStore first = open(100);
        RedisStore second = open(100);
        Chirp before = first.post("h", "before").get(30, TimeUnit.SECONDS);
        awaitFeed(second, List.of(before));

        first.clear().get(30, TimeUnit.SECONDS);
        awaitFeed(second, List.of());
        Chirp after = second.post("h", "after").get(30, TimeUnit.SECONDS);
        RedisStore third = open(100);

        assertTrue(after.id() > before.id(), "ids stay used after a clear");
        assertEquals(List.of(), first.chirps().stream().filter(chirp -> chirp.equals(before)).toList());
        assertEquals(List.of(after), third.chirps(), "a node opened after the clear");
        awaitFeed(first, List.of(after));
    }

    @Test
    void idsStayAboveAStreamWhoseLastIdIsAheadOfTheClock() throws Exception {
        RedisStore store = open(100);
        long ahead = 5_000_000_000_000_000L;
        jedis().xadd(store.streamKey(), new StreamEntryID(ahead, 0),
                Map.of("kind", "chirp", "handle", "h", "text", "from the future", "at", "1"));

        Chirp chirp = store.post("h", "next").get(30, TimeUnit.SECONDS);

        assertEquals(ahead + 1, chirp.id());
    }

    @Test
    void entriesChirpDidNotWriteAreSkipped() throws Exception {
        RedisStore store = open(100);
        Chirp first = store.post("h", "first").get(30, TimeUnit.SECONDS);
        jedis().xadd(store.streamKey(), StreamEntryID.NEW_ENTRY, Map.of("something", "else"));

        Chirp second = store.post("h", "second").get(30, TimeUnit.SECONDS);

        awaitFeed(store, List.of(second, first));
        assertEquals(List.of(second, first), open(100).chirps(), "a node opened afterwards");
    }

    @Test
    void nodesOnOneStreamShareOneCookieSecretAndOtherStreamsHaveTheirOwn() {
        byte[] first = open(100).sharedSecret().orElseThrow();
        byte[] second = open(100).sharedSecret().orElseThrow();
        String otherPrefix = TestRedis.uniquePrefix();
        RedisStore other = RedisStore.builder(redis).keyPrefix(otherPrefix).open(context(100));
        opened.add(other);
        byte[] elsewhere = other.sharedSecret().orElseThrow();
        TestRedis.removeKeys(redis, otherPrefix);

        assertEquals(32, first.length, "secret length");
        assertTrue(java.util.Arrays.equals(first, second), "two nodes on one stream share the secret");
        assertTrue(!java.util.Arrays.equals(first, elsewhere), "another prefix has a secret of its own");
    }

    @Test
    void anUnreachableRedisStopsOpeningWithItsAddress() {
        Store.Factory nowhere = RedisStore.builder(URI.create("redis://127.0.0.1:1"));

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> nowhere.open(context(100)));

        assertTrue(refused.getMessage().startsWith("cannot reach Redis at redis://127.0.0.1:1: "),
                refused.getMessage());
    }

    @Test
    void anAddressThatIsNotRedisIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> RedisStore.builder(URI.create("http://127.0.0.1:6379")));

        assertEquals("Redis address 'http://127.0.0.1:6379' should look like redis://HOST:PORT, such as "
                + "redis://127.0.0.1:6379", refused.getMessage());
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> RedisStore.builder(URI.create("redis://127.0.0.1:99999")));

        assertEquals("Redis address 'redis://127.0.0.1:99999' should look like redis://HOST:PORT, such as "
                + "redis://127.0.0.1:6379", refused.getMessage());
    }

    @Test
    void aWriterConnectionThatBrokeWhileIdleIsReplacedBeforeThePost() throws Exception {
        try (CuttableLink link = CuttableLink.to(redis)) {
            RedisStore store = open(link.address(), 100);
            Chirp before = store.post("calmotter7", "before").get(30, TimeUnit.SECONDS);

            link.cut();
            awaitFault(store, true);
            link.mend();
            awaitFault(store, false);
            Thread.sleep(600);
            Chirp after = store.post("calmotter7", "after").get(30, TimeUnit.SECONDS);

            awaitFeed(store, List.of(after, before));
        }
    }

    @Test
    void postsAreTakenAgainOnceTheWriterReachesRedisWithoutWaitingForAPost() throws Exception {
        try (CuttableLink link = CuttableLink.to(redis)) {
            RedisStore store = open(link.address(), 100);
            store.post("calmotter7", "before").get(30, TimeUnit.SECONDS);

            // The writer's connection is the newest: the reader's stays up.
            link.cutNewest();
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> store.post("calmotter7", "refused").get(30, TimeUnit.SECONDS));
            assertTrue(refused.getCause() instanceof StoreUnavailableException, refused.getCause().toString());
            assertTrue(store.writeFault().isPresent(), "a fault while the writer cannot reach Redis");
            link.mend();

            awaitFault(store, false);
        }
    }

    /** Waits until the store reports a write fault, or until it reports none. */
    private static void awaitFault(RedisStore store, boolean present) throws InterruptedException {
        long deadline = System.nanoTime() + LiveClient.TIMEOUT.toNanos();
        while (store.writeFault().isPresent() != present) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("write fault " + store.writeFault() + ", expected "
                        + (present ? "one" : "none"));
            }
            Thread.sleep(10);
        }
    }

    private RedisStore open(int maxChirps) {
        return open(redis, maxChirps);
    }

    private RedisStore open(URI address, int maxChirps) {
        RedisStore store = RedisStore.builder(address).keyPrefix(prefix).open(context(maxChirps));
        opened.add(store);
        return store;
    }

    private static Store.Context context(int maxChirps) {
        return new Store.Context(PubSub.inProcess(), Clock.systemUTC(), FeedObserver.NONE, maxChirps);
    }

    private Jedis jedis() {
        return new Jedis(redis, 2000, 2000);
    }

    /** Waits until the node's feed is exactly this, newest first. */
    private static void awaitFeed(RedisStore store, List<Chirp> newestFirst) throws InterruptedException {
        long deadline = System.nanoTime() + LiveClient.TIMEOUT.toNanos();
        while (!store.chirps().equals(newestFirst)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the feed is " + store.chirps() + ", expected " + newestFirst);
            }
            Thread.sleep(10);
        }
    }
}
