package dev.chirp.redis;

import dev.chirp.core.Chirp;
import dev.chirp.core.FeedObserver;
import dev.chirp.core.store.Store;
import dev.chirp.core.store.StoreUnavailableException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * The feed in a Redis stream, shared by every node that opens the same stream: a chirp posted
 * on any node reaches the clients of every node, in one order, and a client can resume on
 * any node after the id it last saw.
 *
 * <p>Each chirp is one entry of a capped stream ({@code XADD ... MAXLEN ~}) whose entry id is
 * {@code ID-0}, ID being the chirp's id: the larger of the last id plus one and Redis' clock in
 * microseconds, so ids are integers that only grow, across nodes, restarts and clears. A post
 * is answered once Redis has taken the entry and this node has read it back (or after two
 * seconds, should its reader lag). Each node reads the stream with {@code XREAD BLOCK} on one
 * thread, keeps the newest {@code maxChirps} in memory for pages and backlogs, and publishes
 * each entry to its own broadcaster, so every node delivers in stream order. A clear is an
 * entry too: every node empties its feed when it reads it, and Redis drops what came before.
 * The secret that signs identity cookies is kept beside the stream ({@link #sharedSecret()}),
 * so a visitor keeps their handle on every node.
 *
 * <p>Durability is Redis' own: an acknowledged chirp survives a Redis restart only as far as
 * Redis' persistence keeps it; run Redis with {@code appendonly yes} and
 * {@code appendfsync always} (or {@code everysec}, which may lose the last second).
 *
 * <p>When Redis cannot be reached, posts fail with {@link StoreUnavailableException}, reads and
 * live connections carry on with what the node has, {@link #writeFault()} says why, and the
 * reader reconnects with backoff and goes on after the last entry it delivered, so nothing
 * posted meanwhile on other nodes is skipped.
 *
 * <p>Thread-safe.
 */
public final class RedisStore implements Store {

    private static final System.Logger LOG = System.getLogger(RedisStore.class.getName());
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    /** How often a writer cut off from Redis tries it again, so that health recovers without a post. */
    private static final Duration PROBE_EVERY = Duration.ofSeconds(1);
    /** How long the writer's connection may sit idle before it is checked ahead of a post. */
    private static final Duration IDLE_CHECK = Duration.ofMillis(500);
    private static final Duration READ_BACK_WAIT = Duration.ofSeconds(2);
    private static final int MAX_BATCH = 256;
    /**
     * The stream keeps at least this many entries, so a node that lags behind can catch up.
     * Limitation: a node cut off from Redis while more chirps than this are posted on others
     * does not deliver the oldest of them live; they have left the feed by then, and its
     * clients get the feed's newest chirps as usual.
     */
    private static final int MIN_RETAINED = 1000;
    private static final String UNREACHABLE = "The server cannot reach its database right now. "
            + "Try again in a moment.";

    private final URI uri;
    private final String address;
    private final String streamKey;
    private final int maxChirps;
    private final int retained;
    private final FeedObserver observer;
    private final ScheduledThreadPoolExecutor writer;
    private final Queue<Write> queued = new ConcurrentLinkedQueue<>();
    private final StreamReader reader;
    private final byte[] secret;

    private volatile Optional<String> writerFault = Optional.empty();
    private volatile boolean closed;
    // Used by the writer thread only.
    private Jedis writerConnection;
    /** When Redis last answered the writer, in {@link System#nanoTime()} units. */
    private long lastAnswered;
    private String appendSha;

    private RedisStore(Builder builder, Context context) {
        this.uri = builder.uri;
        this.address = redacted(builder.uri);
        this.streamKey = builder.keyPrefix + ":feed";
        this.maxChirps = context.maxChirps();
        this.retained = Math.max(maxChirps, MIN_RETAINED);
        this.observer = context.observer();

        try (Jedis jedis = connect()) {
            // Once the reader reaches Redis again, so will the writer: health need not wait for a post.
            this.secret = sharedSecret(jedis, builder.keyPrefix + ":secret");
            this.reader = new StreamReader(address, streamKey, maxChirps, context.pubSub(), this::connect,
                    () -> writerFault = Optional.empty(), jedis);
        } catch (JedisException e) {
            throw new IllegalStateException("cannot reach Redis at " + address + ": " + reason(e), e);
        }

        this.writer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "chirp-redis-writer");
            thread.setDaemon(true);
            return thread;
        });
        writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        reader.start();
    }

    /**
     * Returns a builder for a store on the Redis at this address, with the key prefix
     * {@code chirp}.
     *
     * @param uri such as {@code redis://127.0.0.1:6379}; a password and database number in the
     *     address are used
     * @return a new builder
     * @throws IllegalArgumentException if the address is not a {@code redis://} or
     *     {@code rediss://} address with a host, or its port is out of range
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Limitation: this is what this node has read from the stream so far; a client that
     * resumes here after an id another node delivered an instant ago, but this one has not
     * read yet, gets a full replay instead of only what came after it.
     */
    @Override
    public List<Chirp> chirps() {
        return reader.chirps();
    }

    @Override
    public long lastId() {
        return reader.lastId();
    }

    @Override
    public int maxChirps() {
        return maxChirps;
    }

    /**
     * Returns the key of the stream that holds the feed.
     *
     * @return the key prefix followed by {@code :feed}
     */
    public String streamKey() {
        return streamKey;
    }

    @Override
    public CompletableFuture<Chirp> post(String handle, String text) {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(text, "text");
        Post post = new Post(handle, text, new CompletableFuture<>());
        enqueue(post);
        return post.result();
    }

    /**
     * Empties the feed on every node that shares the stream. With several nodes, give
     * {@code --clear-every} to one of them only, or the feed is emptied once per node.
     *
     * @return completes once this node has emptied its feed
     */
    @Override
    public CompletableFuture<Void> clear() {
        Clear clear = new Clear(new CompletableFuture<>());
        enqueue(clear);
        return clear.result();
    }

    @Override
    public Optional<String> writeFault() {
        return writerFault.or(reader::fault);
    }

    /**
     * Returns the cookie secret kept in Redis under {@code PREFIX:secret}, created at random by
     * the first node that opened the store, so that every node signs cookies alike.
     *
     * @return the secret; a copy
     */
    @Override
    public Optional<byte[]> sharedSecret() {
        return Optional.of(secret.clone());
    }

    @Override
    public String faultSummary() {
        return "cannot reach the database";
    }

    @Override
    public String location() {
        return "Redis " + address + ", stream " + streamKey;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // Posts already queued are still sent; later ones fail. Then the reader stops.
        writer.shutdown();
        try {
            if (!writer.awaitTermination(SOCKET_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS)) {
                writer.shutdownNow();
            }
            closeWriterConnection();
            reader.close(SOCKET_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void enqueue(Write write) {
        queued.add(write);
        try {
            writer.execute(this::commitQueued);
        } catch (RejectedExecutionException e) {
            if (queued.remove(write)) {
                write.result().completeExceptionally(new IllegalStateException("the store is closed"));
            }
        }
    }

    /** Runs on the writer: sends every queued write in one pipeline and answers them. */
    private void commitQueued() {
        List<Write> batch = new ArrayList<>();
        for (Write write; batch.size() < MAX_BATCH && (write = queued.poll()) != null; ) {
            batch.add(write);
        }
        if (batch.isEmpty()) {
            return;
        }
        List<Object> replies;
        try {
            replies = append(batch);
        } catch (JedisException | IllegalStateException e) {
            closeWriterConnection();
            boolean first = writerFault.isEmpty();
            writerFault = Optional.of("cannot reach Redis at " + address + " (" + reason(e) + ")");
            if (first) {
                LOG.log(System.Logger.Level.WARNING, "Refusing posts: cannot reach Redis at {0} ({1}); reads go "
                        + "on, and posts are taken again once Redis answers", address, reason(e));
                scheduleProbe();
            }
            StoreUnavailableException failure = new StoreUnavailableException(UNREACHABLE, e);
            batch.forEach(write -> write.result().completeExceptionally(failure));
            return;
        } catch (RuntimeException | Error e) {
            batch.forEach(write -> write.result().completeExceptionally(e));
            throw e;
        }
        writerAnswered();
        for (int i = 0; i < batch.size(); i++) {
            answerWhenRead(batch.get(i), replies.get(i));
        }
    }

    /** Tries Redis again from the writer until it answers, so that health does not wait for a post. */
    private void scheduleProbe() {
        try {
            writer.schedule(this::probe, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closing: nothing to recover.
        }
    }

    private void probe() {
        if (closed || writerFault.isEmpty()) {
            return;
        }
        try {
            writerConnection().ping();
            lastAnswered = System.nanoTime();
            writerAnswered();
        } catch (JedisException e) {
            closeWriterConnection();
            scheduleProbe();
        }
    }

    /** Ends a write fault, if there was one, now that Redis answered the writer. */
    private void writerAnswered() {
        if (writerFault.isPresent()) {
            writerFault = Optional.empty();
            LOG.log(System.Logger.Level.WARNING, "Taking posts again: Redis at {0} answers", address);
        }
    }

    private List<Object> append(List<Write> batch) {
        Jedis jedis = writerConnection();
        if (System.nanoTime() - lastAnswered > IDLE_CHECK.toNanos()) {
            try {
                jedis.ping();
            } catch (JedisConnectionException e) {
                // Redis may have restarted while the connection sat idle. Nothing of this batch
                // was sent yet, so a new connection can take it.
                closeWriterConnection();
                jedis = writerConnection();
            }
        }
        List<Response<Object>> responses = new ArrayList<>(batch.size());
        String keep = Integer.toString(retained);
        try (Pipeline pipeline = jedis.pipelined()) {
            for (Write write : batch) {
                List<String> args = write instanceof Post post
                        ? List.of(keep, StreamEntries.CHIRP, post.handle(), post.text())
                        : List.of(keep, StreamEntries.CLEAR);
                responses.add(pipeline.evalsha(appendSha, List.of(streamKey), args));
            }
            pipeline.sync();
        }
        lastAnswered = System.nanoTime();
        List<Object> replies = new ArrayList<>(responses.size());
        for (Response<Object> response : responses) {
            replies.add(response.get());
        }
        return replies;
    }

    /** Completes a write once the reader has delivered its entry, or after a while regardless. */
    private void answerWhenRead(Write write, Object reply) {
        List<?> parts = (List<?>) reply;
        long id = StreamEntries.idOf(text(parts.get(0)));
        Runnable answer;
        if (write instanceof Post post) {
            Instant at = Instant.ofEpochSecond(Long.parseLong(text(parts.get(1))));
            Chirp chirp = new Chirp(id, post.handle(), post.text(), at);
            observer.stored(chirp);
            post.result().completeOnTimeout(chirp, READ_BACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            answer = () -> post.result().complete(chirp);
        } else {
            Clear clear = (Clear) write;
            clear.result().completeOnTimeout(null, READ_BACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            answer = () -> clear.result().complete(null);
        }
        reader.whenDelivered(id, answer);
    }

    /** Reads the shared cookie secret, storing a new random one first if there is none. */
    private static byte[] sharedSecret(Jedis jedis, String key) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        jedis.set(key, Base64.getEncoder().encodeToString(fresh), SetParams.setParams().nx());
        return Base64.getDecoder().decode(jedis.get(key));
    }

    private Jedis writerConnection() {
        if (writerConnection == null) {
            Jedis jedis = connect();
            try {
                appendSha = jedis.scriptLoad(StreamEntries.APPEND);
            } catch (RuntimeException e) {
                jedis.close();
                throw e;
            }
            writerConnection = jedis;
        }
        return writerConnection;
    }

    private void closeWriterConnection() {
        if (writerConnection != null) {
            writerConnection.close();
            writerConnection = null;
        }
    }

    private Jedis connect() {
        Jedis jedis = new Jedis(uri, (int) CONNECT_TIMEOUT.toMillis(), (int) SOCKET_TIMEOUT.toMillis());
        try {
            jedis.ping();
            return jedis;
        } catch (RuntimeException e) {
            jedis.close();
            throw e;
        }
    }

    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                : String.valueOf(reply);
    }

    /**
     * The message that names the actual problem: that of the socket's own exception (such as
     * "Connection refused"), which Jedis keeps as a cause or a suppressed exception, else the
     * innermost one.
     */
    static String reason(Throwable e) {
        Throwable innermost = e;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            innermost = cause;
            if (cause instanceof java.io.IOException && cause.getMessage() != null) {
                return cause.getMessage();
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                if (suppressed instanceof java.io.IOException && suppressed.getMessage() != null) {
                    return suppressed.getMessage();
                }
            }
        }
        return String.valueOf(innermost.getMessage());
    }

    /** The address without a password, for logs and messages. */
    private static String redacted(URI uri) {
        String scheme = uri.getScheme();
        int port = uri.getPort() < 0 ? 6379 : uri.getPort();
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "" : uri.getPath();
        return scheme + "://" + uri.getHost() + ":" + port + path;
    }

    /** A write waiting for the writer thread. */
    private sealed interface Write permits Post, Clear {
        CompletableFuture<?> result();
    }

    private record Post(String handle, String text, CompletableFuture<Chirp> result) implements Write {
    }

    private record Clear(CompletableFuture<Void> result) implements Write {
    }

    /**
     * Settings for a {@link RedisStore}; each setter checks its argument at once. It is the
     * {@link Store.Factory} a server opens the store with.
     */
    public static final class Builder implements Store.Factory {

        private final URI uri;
        private String keyPrefix = "chirp";

        private Builder(URI uri) {
            Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equals("redis") || scheme.equals("rediss")) || uri.getHost() == null
                    || uri.getPort() > 65_535) {
                throw new IllegalArgumentException("Redis address '" + uri
                        + "' should look like redis://HOST:PORT, such as redis://127.0.0.1:6379");
            }
            this.uri = uri;
        }

        /**
         * Sets the prefix of the keys the store uses; nodes that share a feed use the same one.
         * Default {@code chirp}: the feed is the stream {@code chirp:feed}.
         *
         * @param keyPrefix a non-blank prefix without spaces
         * @return this builder
         */
        public Builder keyPrefix(String keyPrefix) {
            if (keyPrefix.isBlank() || keyPrefix.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("key prefix must be non-blank and without spaces, got '"
                        + keyPrefix + "'");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * Connects to Redis, loads the newest chirps since the last clear and starts reading the
         * stream. Timestamps come from Redis' clock, not the context's.
         *
         * @param context the broadcaster to publish to, the observer and the feed's size
         * @return the open store
         * @throws IllegalStateException if Redis cannot be reached, with a message naming its address
         */
        @Override
        public RedisStore open(Context context) {
            return new RedisStore(this, Objects.requireNonNull(context, "context"));
        }
    }
}
