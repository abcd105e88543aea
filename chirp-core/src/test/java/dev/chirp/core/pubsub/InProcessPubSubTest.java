package dev.chirp.core.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.chirp.core.Chirp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class InProcessPubSubTest {

    private final InProcessPubSub pubSub = (InProcessPubSub) PubSub.inProcess();

    @Test
    void subscribersReceiveChirpsInPublishOrder() {
        Recorder first = subscribed();
        Recorder second = subscribed();

        for (long id = 1; id <= 5; id++) {
            pubSub.publish(chirp(id));
        }

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), first.ids());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), second.ids());
    }

    @Test
    void unsubscribeStopsDelivery() {
        Recorder leaving = subscribed();
        Recorder staying = subscribed();
        pubSub.publish(chirp(1));

        pubSub.unsubscribe(leaving);
        pubSub.publish(chirp(2));

        assertEquals(List.of(1L), leaving.ids());
        assertEquals(List.of(1L, 2L), staying.ids());
    }

    @Test
    void unsubscribingAnUnknownSubscriberChangesNothing() {
        Recorder known = subscribed();

        pubSub.unsubscribe(new Recorder());
        pubSub.publish(chirp(1));

        assertEquals(List.of(1L), known.ids());
        assertEquals(1, pubSub.subscriberCount());
    }

    @Test
    void subscribingTwiceDeliversOnce() {
        Recorder recorder = subscribed();

        pubSub.subscribe(recorder);
        pubSub.publish(chirp(1));

        assertEquals(List.of(1L), recorder.ids());
    }

    @Test
    void subscriberThatThrowsIsDroppedAndTheOthersStillGetTheChirp() {
        AtomicInteger calls = new AtomicInteger();
        Recorder before = subscribed();
        pubSub.subscribe(broadcast -> {
            calls.incrementAndGet();
            throw new IllegalStateException("connection gone");
        });
        Recorder after = subscribed();

        pubSub.publish(chirp(1));
        pubSub.publish(chirp(2));

        assertEquals(List.of(1L, 2L), before.ids());
        assertEquals(List.of(1L, 2L), after.ids());
        assertEquals(1, calls.get(), "calls to the failing subscriber");
        assertEquals(2, pubSub.subscriberCount());
    }

    @Test
    void allSubscribersShareOneEncodingOfAChirp() {
        AtomicInteger encodings = new AtomicInteger();
        Encoding<String> counted = Encoding.of("counted", 10, chirp -> {
            encodings.incrementAndGet();
            return "<li>" + chirp.text() + "</li>";
        });
        List<String> received = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 20; i++) {
            pubSub.subscribe(broadcast -> received.add(broadcast.encoded(counted)));
        }

        pubSub.publish(chirp(1));

        assertEquals(20, received.size(), "deliveries");
        assertEquals(1, encodings.get(), "times the chirp was encoded");
        received.forEach(html -> assertSame(received.get(0), html, "one object for everyone"));
    }

    @Test
    void eachPublishWrapsItsOwnChirp() {
        Encoding<String> upper = Encoding.of("upper", 10, chirp -> chirp.text().toUpperCase());
        List<String> received = new ArrayList<>();
        pubSub.subscribe(broadcast -> received.add(broadcast.encoded(upper)));

        pubSub.publish(chirp(1));
        pubSub.publish(new Chirp(2, "calmotter7", "second", Instant.EPOCH));

        assertEquals(List.of("CHIRP 1", "SECOND"), received);
    }

    private Recorder subscribed() {
        Recorder recorder = new Recorder();
        pubSub.subscribe(recorder);
        return recorder;
    }

    private static Chirp chirp(long id) {
        return new Chirp(id, "calmotter7", "chirp " + id, Instant.EPOCH);
    }

    private static final class Recorder implements Subscriber {

        private final List<Chirp> chirps = new CopyOnWriteArrayList<>();

        @Override
        public void deliver(Broadcast broadcast) {
            chirps.add(broadcast.chirp());
        }

        List<Long> ids() {
            return chirps.stream().map(Chirp::id).collect(Collectors.toList());
        }
    }
}
