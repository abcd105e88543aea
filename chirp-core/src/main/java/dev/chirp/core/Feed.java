package dev.chirp.core;

import dev.chirp.core.guard.ConnectionLimit;
import dev.chirp.core.guard.Guard;
import dev.chirp.core.identity.Identity;
import dev.chirp.core.pubsub.PubSub;
import dev.chirp.core.render.Render;
import dev.chirp.core.store.Store;
import java.util.Objects;

/**
 * Everything a transport needs to serve the feed: the store, the broadcaster the store
 * publishes to, the guard, identities and the renderer.
 *
 * @param store the store
 * @param pubSub the broadcaster the store publishes to
 * @param guard the checks on every post
 * @param identity the source of handles
 * @param render the view
 * @param connections the count of open live connections, shared by every transport
 * @param observer hears refused posts and deliveries, for metrics
 */
public record Feed(Store store, PubSub pubSub, Guard guard, Identity identity, Render render,
        ConnectionLimit connections, FeedObserver observer) {

    /**
     * Checks that every part is present.
     *
     * @param store the store
     * @param pubSub the broadcaster the store publishes to
     * @param guard the checks on every post
     * @param identity the source of handles
     * @param render the view
     * @param connections the count of open live connections, shared by every transport
     * @param observer hears refused posts and deliveries, for metrics
     */
    public Feed {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(pubSub, "pubSub");
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(render, "render");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(observer, "observer");
    }

    /**
     * Creates a feed that nobody observes.
     *
     * @param store the store
     * @param pubSub the broadcaster the store publishes to
     * @param guard the checks on every post
     * @param identity the source of handles
     * @param render the view
     * @param connections the count of open live connections, shared by every transport
     */
    public Feed(Store store, PubSub pubSub, Guard guard, Identity identity, Render render,
            ConnectionLimit connections) {
        this(store, pubSub, guard, identity, render, connections, FeedObserver.NONE);
    }

    /**
     * Creates a feed whose live connections are counted but not limited, and that nobody
     * observes.
     *
     * @param store the store
     * @param pubSub the broadcaster the store publishes to
     * @param guard the checks on every post
     * @param identity the source of handles
     * @param render the view
     */
    public Feed(Store store, PubSub pubSub, Guard guard, Identity identity, Render render) {
        this(store, pubSub, guard, identity, render, ConnectionLimit.unlimited(), FeedObserver.NONE);
    }
}
