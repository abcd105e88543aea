package dev.chirp.core.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoPubSubTest {

    @Test
    void subscribingIsRefusedWithAHint() {
        PubSub none = PubSub.none();
        List<Broadcast> received = new ArrayList<>();

        UnsupportedOperationException thrown = assertThrows(UnsupportedOperationException.class,
                () -> none.subscribe(received::add));

        assertEquals("this timeline publishes nowhere; give it a PubSub", thrown.getMessage());
    }
}
