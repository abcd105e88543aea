package dev.chirp.redis;

import dev.chirp.core.Chirp;
import dev.chirp.core.pubsub.PubSub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * One node's reading of the stream: a thread that tails it with {@code XREAD BLOCK}, keeps
 * the newest chirps in memory and publishes each to the node's broadcaster, in stream order.
 * When Redis goes away it reconnects with backoff and goes on after the last entry it
 * delivered. Thread-safe.
 */
final class StreamReader {

    private static final System.Logger LOG = System.getLogger(StreamReader.class.getName());
    private static final Duration READ_BLOCK = Duration.ofSeconds(1);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MOST_BACKOFF = Duration.ofSeconds(2);
    private static final int READ_COUNT = 1000;

    private final String address;
    private final String streamKey;
    private final int maxChirps;
    private final PubSub pubSub;
    private final Supplier<Jedis> connect;
    private final Runnable reconnected;
    // Answers to writes Redis took, by id (one write per id), run once this reader delivered it.
    private final ConcurrentSkipListMap<Long, Runnable> readBack = new ConcurrentSkipListMap<>();
    private final Thread thread;

    private volatile List<Chirp> chirps;
    private volatile long lastId;
    private volatile Optional<String> fault = Optional.empty();
    private volatile boolean closed;
    private volatile Jedis connection;
    // Used by the reading thread only, after the constructor.
    private StreamEntryID delivered;

    /**
     * Loads the newest chirps since the last clear through the given connection; reading on
     * starts with {@link #start()}.
     *
     * @param reconnected called on the reading thread each time Redis answers it again
     */
    StreamReader(String address, String streamKey, int maxChirps, PubSub pubSub, Supplier<Jedis> connect,
            Runnable reconnected, Jedis loading) {
        this.address = address;
        this.streamKey = streamKey;
        this.maxChirps = maxChirps;
        this.pubSub = pubSub;
        this.connect = connect;
        this.reconnected = reconnected;
        load(loading);
        this.thread = new Thread(this::readLoop, "chirp-redis-reader");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    List<Chirp> chirps() {
        return chirps;
    }

    long lastId() {
        return lastId;
    }

    /** Why the stream cannot be read right now, for health checks. */
    Optional<String> fault() {
        return fault;
    }

    /** Runs the answer once this reader has delivered the entry with this id (at once if it has). */
    void whenDelivered(long id, Runnable answer) {
        readBack.put(id, answer);
        // The entry may have been delivered before the answer was registered.
        if (lastId >= id) {
            answerReadBack(lastId);
        }
    }

    /** Stops reading, waiting up to the given time for the thread, and runs every answer still waiting. */
    void close(Duration wait) throws InterruptedException {
        closed = true;
        // Wakes the thread from its blocking read.
        Jedis reading = connection;
        if (reading != null) {
            reading.close();
        }
        thread.join(wait.toMillis());
        answerReadBack(Long.MAX_VALUE);
    }

    /** Loads the newest chirps since the last clear, and where to read on from. */
    private void load(Jedis jedis) {
        List<StreamEntry> newest = jedis.xrevrange(streamKey, "+", "-", maxChirps);
        List<Chirp> feed = new ArrayList<>();
        for (StreamEntry entry : newest) {
            Optional<StreamEntries.Entry> read = StreamEntries.read(entry);
            if (read.isPresent() && read.get() instanceof StreamEntries.Cleared) {
                break;
            }
            read.ifPresent(posted -> feed.add(((StreamEntries.Posted) posted).chirp()));
        }
        this.chirps = List.copyOf(feed);
        this.delivered = newest.isEmpty() ? new StreamEntryID(0, 0) : newest.get(0).getID();
        this.lastId = delivered.getTime();
    }

    /** Runs on the reading thread: tails the stream until closed, reconnecting with backoff. */
    private void readLoop() {
        Duration backoff = FIRST_BACKOFF;
        XReadParams params = XReadParams.xReadParams().block((int) READ_BLOCK.toMillis()).count(READ_COUNT);
        while (!closed) {
            try (Jedis jedis = connect.get()) {
                connection = jedis;
                reconnected.run();
                if (fault.isPresent()) {
                    fault = Optional.empty();
                    LOG.log(System.Logger.Level.WARNING, "Reading the feed from Redis at {0} again, after chirp {1}",
                            address, Long.toString(delivered.getTime()));
                }
                backoff = FIRST_BACKOFF;
                while (!closed) {
                    var read = jedis.xread(params, Map.of(streamKey, delivered));
                    if (read != null) {
                        read.forEach(stream -> stream.getValue().forEach(this::deliver));
                    }
                }
            } catch (JedisException e) {
                if (closed) {
                    break;
                }
                String reason = RedisStore.reason(e);
                if (fault.isEmpty()) {
                    LOG.log(System.Logger.Level.WARNING, "Lost Redis at {0} ({1}); live chirps from other nodes "
                            + "wait until it is back, then go on after chirp {2}", address, reason,
                            Long.toString(delivered.getTime()));
                }
                fault = Optional.of("cannot reach Redis at " + address + " (" + reason + ")");
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MOST_BACKOFF) > 0 ? MOST_BACKOFF : backoff.multipliedBy(2);
            } catch (RuntimeException e) {
                // A bug rather than Redis going away: keep reading after a pause rather than stop.
                LOG.log(System.Logger.Level.ERROR, "Reading the feed from Redis failed; trying again", e);
                sleep(MOST_BACKOFF);
            } finally {
                connection = null;
            }
        }
        answerReadBack(Long.MAX_VALUE);
    }

    /**
     * Takes one entry into the feed, then publishes it: a connection that reads the feed after
     * subscribing sees each chirp in one of the two, and its handoff drops the repeat.
     */
    private void deliver(StreamEntry entry) {
        delivered = entry.getID();
        Optional<StreamEntries.Entry> read = StreamEntries.read(entry);
        if (read.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "Skipped entry {0} of stream {1}: Chirp did not write it",
                    entry.getID(), streamKey);
            return;
        }
        if (read.get() instanceof StreamEntries.Posted posted) {
            Chirp chirp = posted.chirp();
            List<Chirp> current = chirps;
            List<Chirp> next = new ArrayList<>(Math.min(current.size() + 1, maxChirps));
            next.add(chirp);
            next.addAll(current.subList(0, Math.min(current.size(), maxChirps - 1)));
            chirps = List.copyOf(next);
            lastId = chirp.id();
            try {
                pubSub.publish(chirp);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "Could not publish chirp " + chirp.id(), e);
            }
        } else {
            chirps = List.of();
            lastId = read.get().id();
        }
        answerReadBack(lastId);
    }

    private void answerReadBack(long through) {
        for (Map.Entry<Long, Runnable> waiting; (waiting = readBack.firstEntry()) != null
                && waiting.getKey() <= through; ) {
            // Both threads may get here for one answer; only the one that removes it runs it.
            if (readBack.remove(waiting.getKey(), waiting.getValue())) {
                waiting.getValue().run();
            }
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
