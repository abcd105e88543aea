package dev.chirp.core.pubsub;

import dev.chirp.core.Chirp;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Delivers chirps to subscribers in this JVM, on the publishing thread. */
final class InProcessPubSub implements PubSub {

    private static final System.Logger LOG = System.getLogger(InProcessPubSub.class.getName());

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

    @Override
    public void subscribe(Subscriber subscriber) {
        subscribers.add(Objects.requireNonNull(subscriber, "subscriber"));
    }

    @Override
    public void unsubscribe(Subscriber subscriber) {
        subscribers.remove(Objects.requireNonNull(subscriber, "subscriber"));
    }

    @Override
    public void publish(Chirp chirp) {
        Broadcast broadcast = new Broadcast(chirp);
        for (Subscriber subscriber : subscribers) {
            try {
                subscriber.deliver(broadcast);
            } catch (RuntimeException e) {
                subscribers.remove(subscriber);
                LOG.log(System.Logger.Level.WARNING, "Dropped subscriber {0}: it failed on chirp {1}: {2}. "
                        + "Its client gets no live chirps until it reconnects; this is a bug in the "
                        + "subscriber, worth reporting with this line", subscriber, chirp.id(), e.toString());
            }
        }
    }

    int subscriberCount() {
        return subscribers.size();
    }
}
