package dev.chirp.core.pubsub;

import dev.chirp.core.Chirp;

/**
 * Fans each new chirp out to every subscriber. {@link #inProcess()} serves one JVM; an
 * adapter over a shared engine serves several nodes.
 *
 * <p>Implementations are thread-safe and deliver chirps to each subscriber in the order
 * they were published.
 */
public interface PubSub {

    /**
     * Starts delivering chirps to a subscriber. Subscribing the same subscriber twice has no
     * further effect.
     *
     * @param subscriber the connection
     */
    void subscribe(Subscriber subscriber);

    /**
     * Stops delivering chirps to a subscriber; unknown subscribers are ignored.
     *
     * @param subscriber the connection
     */
    void unsubscribe(Subscriber subscriber);

    /**
     * Delivers a chirp to every current subscriber. Never waits on a slow subscriber.
     *
     * @param chirp the new chirp
     */
    void publish(Chirp chirp);

    /**
     * Returns the broadcaster for one JVM.
     *
     * @return a new in-process broadcaster
     */
    static PubSub inProcess() {
        return new InProcessPubSub();
    }

    /**
     * Returns a broadcaster with no subscribers that drops everything, for a store used alone.
     *
     * @return a broadcaster that delivers nothing
     */
    static PubSub none() {
        return NoPubSub.INSTANCE;
    }
}
