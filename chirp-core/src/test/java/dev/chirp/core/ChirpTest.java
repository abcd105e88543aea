package dev.chirp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChirpTest {

    @Test
    void rejectsAnIdThatIsNotPositive() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> new Chirp(0, "calmotter7", "hi", Instant.EPOCH));

        assertEquals("chirp id must be positive, got 0", thrown.getMessage());
    }

    @Test
    void namesTheMissingPart() {
        NullPointerException noHandle = assertThrows(NullPointerException.class,
                () -> new Chirp(1, null, "hi", Instant.EPOCH));
        NullPointerException noText = assertThrows(NullPointerException.class,
                () -> new Chirp(1, "calmotter7", null, Instant.EPOCH));
        NullPointerException noTime = assertThrows(NullPointerException.class,
                () -> new Chirp(1, "calmotter7", "hi", null));

        assertEquals("handle", noHandle.getMessage());
        assertEquals("text", noText.getMessage());
        assertEquals("at", noTime.getMessage());
    }
}
