package dev.chirp.core.pubsub;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One {@link Lane} per event-loop thread, each subscribed to a broadcaster the first time a
 * connection on its thread asks for it. A transport keeps one for all its connections.
 */
public final class Lanes {

    private final PubSub pubSub;
    private final Function<Thread, Lane.Scheduler> schedulers;
    private final Map<Thread, Lane> byThread = new ConcurrentHashMap<>();

    /**
     * Creates lanes fed by a broadcaster.
     *
     * @param pubSub the broadcaster every lane subscribes to
     * @param schedulers gives the scheduler that runs tasks on a given event-loop thread
     */
    public Lanes(PubSub pubSub, Function<Thread, Lane.Scheduler> schedulers) {
        this.pubSub = Objects.requireNonNull(pubSub, "pubSub");
        this.schedulers = Objects.requireNonNull(schedulers, "schedulers");
    }

    /**
     * Returns the lane of the calling event-loop thread, creating and subscribing it on first
     * use. Call it before reading a new connection's backlog from the feed, so that the lane
     * hears every chirp published after that read.
     *
     * @return the current thread's lane
     */
    public Lane current() {
        return byThread.computeIfAbsent(Thread.currentThread(), thread -> {
            Lane lane = new Lane(thread, schedulers.apply(thread));
            pubSub.subscribe(lane);
            return lane;
        });
    }
}
