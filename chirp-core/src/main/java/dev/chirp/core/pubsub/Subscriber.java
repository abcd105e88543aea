package dev.chirp.core.pubsub;

/** A live connection that wants every new chirp. */
@FunctionalInterface
public interface Subscriber {

    /**
     * Takes one published chirp. Called on the publisher's thread, in feed order: queue the
     * work and return; never block or wait for the network here.
     *
     * @param broadcast the chirp and its encodings
     */
    void deliver(Broadcast broadcast);
}
