package dev.chirp.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chirp.core.Chirp;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class BacklogTest {

    private static final Chirp ONE = chirp(10);
    private static final Chirp TWO = chirp(20);
    private static final Chirp THREE = chirp(30);
    private static final List<Chirp> FEED = List.of(THREE, TWO, ONE);

    @Test
    void clientWithNoLastIdGetsTheWholeFeedOldestFirst() {
        Backlog backlog = Backlog.of(FEED, OptionalLong.empty());

        assertEquals(new Backlog(true, List.of(ONE, TWO, THREE), 30), backlog);
    }

    @Test
    void clientGetsOnlyTheChirpsAfterTheOneItSawOldestFirst() {
        Backlog backlog = Backlog.of(FEED, OptionalLong.of(10));

        assertEquals(new Backlog(false, List.of(TWO, THREE), 30), backlog);
    }

    @Test
    void clientThatSawTheNewestGetsNothing() {
        Backlog backlog = Backlog.of(FEED, OptionalLong.of(30));

        assertEquals(new Backlog(false, List.of(), 30), backlog);
    }

    @Test
    void lastIdTheFeedNoLongerHoldsCountsAsNone() {
        Backlog older = Backlog.of(FEED, OptionalLong.of(5));
        Backlog between = Backlog.of(FEED, OptionalLong.of(15));

        assertEquals(new Backlog(true, List.of(ONE, TWO, THREE), 30), older);
        assertEquals(new Backlog(true, List.of(ONE, TWO, THREE), 30), between);
    }

    @Test
    void emptyFeedIsAnEmptyFullReplayThroughZero() {
        Backlog backlog = Backlog.of(List.of(), OptionalLong.of(30));

        assertEquals(new Backlog(true, List.of(), 0), backlog);
    }

    @Test
    void parsesADecimalId() {
        OptionalLong id = Backlog.parseId(" 1764782717123000 ");

        assertEquals(OptionalLong.of(1_764_782_717_123_000L), id);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"abc", "0", "-5", "1.5", "12abc", "99999999999999999999", "chirp-42"})
    void textThatIsNotAnIdParsesAsNone(String text) {
        OptionalLong id = Backlog.parseId(text);

        assertEquals(OptionalLong.empty(), id);
    }

    private static Chirp chirp(long id) {
        return new Chirp(id, "calmotter7", "chirp " + id, Instant.EPOCH);
    }
}
