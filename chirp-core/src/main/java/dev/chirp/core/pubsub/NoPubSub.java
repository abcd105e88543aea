package dev.chirp.core.pubsub;

import dev.chirp.core.Chirp;

/** The broadcaster of a store that nobody watches. */
enum NoPubSub implements PubSub {
    INSTANCE;

    @Override
    public void subscribe(Subscriber subscriber) {
        throw new UnsupportedOperationException("this timeline publishes nowhere; give it a PubSub");
    }

    @Override
    public void unsubscribe(Subscriber subscriber) {
    }

    @Override
    public void publish(Chirp chirp) {
    }
}
