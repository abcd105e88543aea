package dev.chirp.core.pubsub;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Joins a connection's backlog to the live feed with no gap and no repeat.
 *
 * <p>Subscribe the handoff first, then read the feed and queue the backlog, then
 * {@link #open(long)} it with the newest id the backlog covered. Chirps published in between
 * are held, and only those newer than the backlog are passed on; after that every chirp
 * newer than the last one passed on goes straight through. Thread-safe.
 */
public final class Handoff implements Subscriber {

    private final Consumer<Broadcast> live;
    private List<Broadcast> held = new ArrayList<>();
    private long lastId;

    /**
     * Creates a closed handoff.
     *
     * @param live receives each live chirp, in order, on the publisher's thread; must not block
     */
    public Handoff(Consumer<Broadcast> live) {
        this.live = Objects.requireNonNull(live, "live");
    }

    @Override
    public synchronized void deliver(Broadcast broadcast) {
        if (held != null) {
            held.add(broadcast);
        } else {
            pass(broadcast);
        }
    }

    /**
     * Starts passing chirps on.
     *
     * @param newestSent the id of the newest chirp the connection already has, or 0
     * @throws IllegalStateException if already open
     */
    public synchronized void open(long newestSent) {
        if (held == null) {
            throw new IllegalStateException("handoff is already open");
        }
        lastId = newestSent;
        List<Broadcast> waiting = held;
        held = null;
        waiting.forEach(this::pass);
    }

    private void pass(Broadcast broadcast) {
        if (broadcast.chirp().id() > lastId) {
            lastId = broadcast.chirp().id();
            live.accept(broadcast);
        }
    }
}
