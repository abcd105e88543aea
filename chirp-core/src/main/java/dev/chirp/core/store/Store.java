package dev.chirp.core.store;

import dev.chirp.core.Chirp;
import dev.chirp.core.FeedObserver;
import dev.chirp.core.pubsub.PubSub;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the feed lives: what the transports and the server read and post through. The
 * embedded {@link Timeline} keeps it in this process (memory, dump file, journal); an adapter
 * over a shared database lets several nodes serve one feed.
 *
 * <p>A store publishes each new chirp to its {@link PubSub}, one chirp at a time, in feed
 * order, and ids only grow. Implementations are thread-safe.
 */
public interface Store extends AutoCloseable {

    /**
     * Returns the feed as it is now, newest first. Never blocks.
     *
     * @return an immutable list, at most {@link #maxChirps()} long
     */
    List<Chirp> chirps();

    /**
     * Returns the highest id this store has seen handed out, or 0 if none.
     *
     * @return the last id
     */
    long lastId();

    /**
     * Returns how many chirps the feed keeps.
     *
     * @return the cap
     */
    int maxChirps();

    /**
     * Adds a chirp at the top of the feed and publishes it. The text is stored as given:
     * normalize it with the guard first.
     *
     * @param handle who posts
     * @param text what is posted
     * @return the stored chirp once it is durable and in the feed; fails with
     *     {@link StoreUnavailableException} if it could not be stored, or
     *     {@link IllegalStateException} once the store is closed
     */
    CompletableFuture<Chirp> post(String handle, String text);

    /**
     * Empties the feed. Ids already handed out stay used.
     *
     * @return completes once the feed is empty
     */
    CompletableFuture<Void> clear();

    /**
     * Returns why posts may fail right now, such as a full disk or an unreachable database,
     * with the detail for the server's log.
     *
     * @return a short message for a person, or empty while the store can write
     */
    Optional<String> writeFault();

    /**
     * Returns the general phrase health checks answer while {@link #writeFault()} is present;
     * it names no path or address.
     *
     * @return such as {@code cannot write the feed to disk}
     */
    String faultSummary();

    /**
     * Returns where the feed lives, for the server's start-up line.
     *
     * @return such as a dump path, or {@code in memory only}
     */
    String location();

    /**
     * Returns the dump file this store loads and writes, if it has one. Default: none.
     *
     * @return the absolute dump path
     */
    default Optional<Path> dumpPath() {
        return Optional.empty();
    }

    /**
     * Returns the secret that signs identity cookies, kept where every node sharing this store
     * finds it, so that a visitor keeps their handle on whichever node serves them. Default:
     * none; the server then keeps a secret beside the dump, or draws one per process.
     *
     * @return the secret, at least 16 bytes; a copy
     */
    default Optional<byte[]> sharedSecret() {
        return Optional.empty();
    }

    /**
     * Tells whether something acknowledged would be lost if the process ended now. Default:
     * never.
     *
     * @return whether something would be lost if the process ended now
     */
    default boolean hasUnflushedChanges() {
        return false;
    }

    /** Stops taking posts, lets those under way finish, and releases files and connections. Idempotent. */
    @Override
    void close();

    /**
     * What a server hands a store it opens: the broadcaster to publish to, the clock, the
     * observer and the feed's size.
     *
     * @param pubSub where new chirps are published
     * @param clock the clock for timestamps
     * @param observer hears stored chirps, for metrics
     * @param maxChirps how many chirps the feed keeps, at least 1
     */
    record Context(PubSub pubSub, Clock clock, FeedObserver observer, int maxChirps) {

        /**
         * Checks every part.
         *
         * @param pubSub where new chirps are published
         * @param clock the clock for timestamps
         * @param observer hears stored chirps, for metrics
         * @param maxChirps how many chirps the feed keeps, at least 1
         */
        public Context {
            Objects.requireNonNull(pubSub, "pubSub");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(observer, "observer");
            if (maxChirps < 1) {
                throw new IllegalArgumentException("max chirps must be at least 1, got " + maxChirps);
            }
        }
    }

    /**
     * Opens a store for a server that did not build it itself, such as one on a shared
     * database chosen by the application.
     */
    @FunctionalInterface
    interface Factory {

        /**
         * Opens the store: loads the feed and starts publishing.
         *
         * @param context the broadcaster, clock, observer and size the server chose
         * @return the open store
         * @throws IllegalStateException if the store cannot be opened, with a message naming
         *     what could not be reached
         */
        Store open(Context context);
    }
}
