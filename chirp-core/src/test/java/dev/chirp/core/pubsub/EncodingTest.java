package dev.chirp.core.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chirp.core.Chirp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodingTest {

    private final List<Long> encoded = new ArrayList<>();

    @Test
    void encodesAChirpOnceAcrossBroadcastsAndBacklogs() {
        Encoding<String> encoding = recording(3);
        Chirp chirp = chirp(1);

        String live = new Broadcast(chirp).encoded(encoding);
        String backlog = encoding.encode(chirp);

        assertSame(live, backlog, "the backlog reuses the live encoding");
        assertEquals(List.of(1L), encoded, "chirps encoded");
    }

    @Test
    void keepsOnlyTheNewestChirpsEncoded() {
        Encoding<String> encoding = recording(2);
        String first = encoding.encode(chirp(1));
        encoding.encode(chirp(2));
        encoding.encode(chirp(3));

        String again = encoding.encode(chirp(1));
        encoding.encode(chirp(3));

        assertEquals(List.of(1L, 2L, 3L, 1L), encoded, "the oldest fell out and was encoded again");
        assertNotSame(first, again, "a chirp that fell out is a new encoding");
    }

    @Test
    void capacityBelowOneIsRejected() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Encoding.of("sse", 0, Chirp::text));

        assertEquals("encoding capacity must be at least 1, got 0", thrown.getMessage());
    }

    @Test
    void encoderReturningNullIsReportedByName() {
        Encoding<String> broken = Encoding.of("broken", 1, chirp -> null);
        Chirp chirp = chirp(1);

        NullPointerException thrown = assertThrows(NullPointerException.class,
                () -> broken.encode(chirp));

        assertEquals("encoding broken returned null", thrown.getMessage());
    }

    @Test
    void encodingsWithTheSameNameKeepTheirOwnResults() {
        Encoding<String> one = Encoding.of("html", 1, chirp -> "one");
        Encoding<String> other = Encoding.of("html", 1, chirp -> "other");
        Broadcast broadcast = new Broadcast(chirp(1));

        String fromOne = broadcast.encoded(one);
        String fromOther = broadcast.encoded(other);

        assertEquals("one", fromOne);
        assertEquals("other", fromOther);
    }

    private Encoding<String> recording(int capacity) {
        return Encoding.of("recording", capacity, chirp -> {
            encoded.add(chirp.id());
            return new String("<li>" + chirp.text() + "</li>");
        });
    }

    private static Chirp chirp(long id) {
        return new Chirp(id, "calmotter7", "chirp " + id, Instant.EPOCH);
    }
}
