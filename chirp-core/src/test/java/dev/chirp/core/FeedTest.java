package dev.chirp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chirp.core.guard.Guard;
import dev.chirp.core.identity.Identity;
import dev.chirp.core.pubsub.PubSub;
import dev.chirp.core.render.Render;
import dev.chirp.core.store.Timeline;
import org.junit.jupiter.api.Test;

class FeedTest {

    @Test
    void namesAMissingPart() {
        PubSub pubSub = PubSub.inProcess();
        Guard guard = Guard.builder().build();
        Identity identity = Identity.create();
        Render render = Render.create();

        try (Timeline timeline = Timeline.builder().pubSub(pubSub).build()) {
            NullPointerException noStore = assertThrows(NullPointerException.class,
                    () -> new Feed(null, pubSub, guard, identity, render));
            NullPointerException noRender = assertThrows(NullPointerException.class,
                    () -> new Feed(timeline, pubSub, guard, identity, null));

            assertEquals("store", noStore.getMessage());
            assertEquals("render", noRender.getMessage());
        }
    }
}
