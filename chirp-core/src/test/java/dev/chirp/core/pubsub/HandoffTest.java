package dev.chirp.core.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chirp.core.Chirp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandoffTest {

    private final List<Long> passed = new ArrayList<>();
    private final Handoff handoff = new Handoff(broadcast -> passed.add(broadcast.chirp().id()));

    @Test
    void holdsChirpsUntilOpened() {
        handoff.deliver(broadcast(1));
        handoff.deliver(broadcast(2));

        assertEquals(List.of(), passed, "passed on before open");
    }

    @Test
    void passesOnOnlyHeldChirpsNewerThanTheBacklog() {
        handoff.deliver(broadcast(1));
        handoff.deliver(broadcast(2));
        handoff.deliver(broadcast(3));

        handoff.open(2);

        assertEquals(List.of(3L), passed);
    }

    @Test
    void passesLiveChirpsStraightThroughOnceOpen() {
        handoff.open(0);

        handoff.deliver(broadcast(1));
        handoff.deliver(broadcast(2));

        assertEquals(List.of(1L, 2L), passed);
    }

    @Test
    void neverPassesTheSameOrAnOlderChirpTwice() {
        handoff.deliver(broadcast(5));
        handoff.open(4);

        handoff.deliver(broadcast(5));
        handoff.deliver(broadcast(3));
        handoff.deliver(broadcast(6));

        assertEquals(List.of(5L, 6L), passed);
    }

    @Test
    void joinsAPubSubWithNoGapAndNoRepeat() {
        PubSub pubSub = PubSub.inProcess();
        pubSub.subscribe(handoff);
        // Chirps 2 and 3 arrive while the connection sends its backlog, which ends at 2.
        pubSub.publish(chirp(2));
        pubSub.publish(chirp(3));

        handoff.open(2);
        pubSub.publish(chirp(4));

        assertEquals(List.of(3L, 4L), passed);
    }

    @Test
    void opensOnlyOnce() {
        handoff.open(0);

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> handoff.open(0));

        assertEquals("handoff is already open", thrown.getMessage());
    }

    private static Broadcast broadcast(long id) {
        return new Broadcast(chirp(id));
    }

    private static Chirp chirp(long id) {
        return new Chirp(id, "calmotter7", "chirp " + id, Instant.EPOCH);
    }
}
