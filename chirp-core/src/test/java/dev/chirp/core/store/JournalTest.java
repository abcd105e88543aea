package dev.chirp.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chirp.core.Chirp;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournalTest {

    private static final Instant AT = Instant.parse("2025-12-03T17:25:17Z");
    private static final Chirp FIRST = new Chirp(10, "calmotter7", "first", AT);
    private static final Chirp SECOND = new Chirp(11, "keenwren54", "s\u00e9cond \uD83D\uDC26", AT);
    private static final Chirp THIRD = new Chirp(12, "calmotter7", "third", AT);

    @Test
    void recordsReadBackAsWritten() {
        byte[] bytes = journal(FIRST, SECOND, THIRD);

        Journal.Contents read = Journal.read(bytes);

        assertEquals(List.of(new Journal.Posted(FIRST), new Journal.Posted(SECOND), new Journal.Posted(THIRD)),
                read.entries());
        assertEquals(bytes.length, read.validEnd(), "valid end");
        assertEquals(0, read.tornBytes(), "torn bytes");
        assertEquals(0, read.damaged(), "damaged records");
    }

    @Test
    void clearRecordCarriesTheLastIdBeforeIt() {
        ByteBuffer out = ByteBuffer.allocate(Journal.MAGIC.length + Journal.clearSize()).put(Journal.MAGIC);
        Journal.encodeClear(42, out);

        Journal.Contents read = Journal.read(out.array());

        assertEquals(List.of(new Journal.Cleared(42)), read.entries());
    }

    @Test
    void recordCutShortAtTheEndIsTornNotDamaged() {
        byte[] whole = journal(FIRST, SECOND);
        int firstEnd = journal(FIRST).length;
        byte[] cut = Arrays.copyOf(whole, whole.length - 3);

        Journal.Contents read = Journal.read(cut);

        assertEquals(List.of(new Journal.Posted(FIRST)), read.entries());
        assertEquals(firstEnd, read.validEnd(), "valid end");
        assertEquals(cut.length - firstEnd, read.tornBytes(), "torn bytes");
        assertEquals(0, read.damaged(), "damaged records");
    }

    @Test
    void cutInsideTheLastRecordHeaderIsTorn() {
        int firstEnd = journal(FIRST).length;
        byte[] cut = Arrays.copyOf(journal(FIRST, SECOND), firstEnd + 5);

        Journal.Contents read = Journal.read(cut);

        assertEquals(List.of(new Journal.Posted(FIRST)), read.entries());
        assertEquals(5, read.tornBytes(), "torn bytes");
        assertEquals(0, read.damaged(), "damaged records");
    }

    @Test
    void zerosAfterTheLastRecordAreTorn() {
        byte[] whole = journal(FIRST);
        byte[] padded = Arrays.copyOf(whole, whole.length + 4096);

        Journal.Contents read = Journal.read(padded);

        assertEquals(List.of(new Journal.Posted(FIRST)), read.entries());
        assertEquals(4096, read.tornBytes(), "torn bytes");
        assertEquals(0, read.damaged(), "damaged records");
    }

    @Test
    void flippedByteInAMiddleRecordSkipsOnlyThatRecord() {
        byte[] bytes = journal(FIRST, SECOND, THIRD);
        int secondAt = journal(FIRST).length;
        bytes[secondAt + Journal.RECORD_HEADER + 12] ^= 0x20;

        Journal.Contents read = Journal.read(bytes);

        assertEquals(List.of(new Journal.Posted(FIRST), new Journal.Posted(THIRD)), read.entries());
        assertEquals(1, read.damaged(), "damaged records");
        assertEquals(secondAt, read.firstDamageAt(), "first damage at");
        assertEquals(0, read.tornBytes(), "torn bytes");
    }

    @Test
    void impossibleLengthLosesOnlyItsRecord() {
        byte[] bytes = journal(FIRST, SECOND, THIRD);
        int secondAt = journal(FIRST).length;
        bytes[secondAt] = 0x7f;

        Journal.Contents read = Journal.read(bytes);

        assertEquals(List.of(new Journal.Posted(FIRST), new Journal.Posted(THIRD)), read.entries());
        assertEquals(1, read.damaged(), "damaged records");
        assertEquals(secondAt, read.firstDamageAt(), "first damage at");
        assertEquals(0, read.tornBytes(), "torn bytes");
    }

    @Test
    void believableButWrongLengthLosesOnlyItsRecord() {
        byte[] bytes = journal(FIRST, SECOND, THIRD);
        int secondAt = journal(FIRST).length;
        // One bit more: a length that fits, so only the search for the next whole record finds THIRD.
        bytes[secondAt + 3] ^= 1;

        Journal.Contents read = Journal.read(bytes);

        assertEquals(List.of(new Journal.Posted(FIRST), new Journal.Posted(THIRD)), read.entries());
        assertEquals(1, read.damaged(), "damaged records");
        assertEquals(0, read.tornBytes(), "torn bytes");
    }

    @Test
    void garbageAfterTheLastWholeRecordIsDamage() {
        byte[] whole = journal(FIRST);
        byte[] bytes = Arrays.copyOf(whole, whole.length + 64);
        Arrays.fill(bytes, whole.length, bytes.length, (byte) 0x7f);

        Journal.Contents read = Journal.read(bytes);

        assertEquals(List.of(new Journal.Posted(FIRST)), read.entries());
        assertEquals(1, read.damaged(), "damaged records");
        assertEquals(whole.length, read.firstDamageAt(), "first damage at");
    }

    @Test
    void foreignFileIsDamagedAsAWhole() {
        byte[] bytes = "{\"format\": \"chirp-dump\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        Journal.Contents read = Journal.read(bytes);

        assertEquals(List.of(), read.entries());
        assertEquals(1, read.damaged(), "damaged records");
    }

    @Test
    void headerCutShortIsAnEmptyTornJournal() {
        byte[] bytes = Arrays.copyOf(Journal.MAGIC, 6);

        Journal.Contents read = Journal.read(bytes);

        assertEquals(List.of(), read.entries());
        assertEquals(6, read.tornBytes(), "torn bytes");
        assertEquals(0, read.damaged(), "damaged records");
    }

    static byte[] journal(Chirp... chirps) {
        int size = Journal.MAGIC.length;
        for (Chirp chirp : chirps) {
            size += Journal.size(chirp);
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(Journal.MAGIC);
        for (Chirp chirp : chirps) {
            Journal.encode(chirp, out);
        }
        return Arrays.copyOf(out.array(), out.position());
    }
}
