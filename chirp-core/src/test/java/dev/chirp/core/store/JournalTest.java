package dev.chirp.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chirp.core.Chirp;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void zerosAfterTheLastRecordAreTheEndNotTorn() {
        byte[] whole = journal(FIRST);
        byte[] padded = Arrays.copyOf(whole, whole.length + 4096);

        Journal.Contents read = Journal.read(padded);

        assertEquals(List.of(new Journal.Posted(FIRST)), read.entries());
        assertEquals(whole.length, read.validEnd(), "valid end");
        assertEquals(0, read.tornBytes(), "torn bytes");
        assertEquals(0, read.damaged(), "damaged records");
    }

    @Test
    void lastRecordFailingItsChecksumWithOnlyZerosAfterItIsTornNotDamaged() {
        int firstEnd = journal(FIRST).length;
        byte[] whole = journal(FIRST, SECOND);
        byte[] padded = Arrays.copyOf(whole, whole.length + 4096);
        Arrays.fill(padded, whole.length - 6, whole.length, (byte) 0);

        Journal.Contents read = Journal.read(padded);

        assertEquals(List.of(new Journal.Posted(FIRST)), read.entries());
        assertEquals(firstEnd, read.validEnd(), "valid end");
        assertEquals(whole.length - 6 - firstEnd, read.tornBytes(), "torn bytes, the zeros not counted");
        assertEquals(0, read.damaged(), "damaged records");
    }

    @Test
    void flippedByteInAMiddleRecordIsDamageEvenWithZerosAfterTheLast() {
        byte[] whole = journal(FIRST, SECOND, THIRD);
        byte[] padded = Arrays.copyOf(whole, whole.length + 4096);
        int secondAt = journal(FIRST).length;
        padded[secondAt + Journal.RECORD_HEADER + 12] ^= 0x20;

        Journal.Contents read = Journal.read(padded);

        assertEquals(List.of(new Journal.Posted(FIRST), new Journal.Posted(THIRD)), read.entries());
        assertEquals(1, read.damaged(), "damaged records");
        assertEquals(secondAt, read.firstDamageAt(), "first damage at");
        assertEquals(whole.length, read.validEnd(), "valid end");
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

    @Test
    void appendKeepsZerosWrittenAheadOfTheRecords(@TempDir Path folder) throws Exception {
        Path path = folder.resolve("chirps.json.journal");

        try (Journal journal = Journal.open(path, 0)) {
            journal.append(records(FIRST, SECOND));
        }

        byte[] bytes = Files.readAllBytes(path);
        Journal.Contents read = Journal.read(bytes);
        assertEquals(List.of(new Journal.Posted(FIRST), new Journal.Posted(SECOND)), read.entries());
        assertEquals(journal(FIRST, SECOND).length, read.validEnd(), "valid end");
        assertEquals(read.validEnd() + Journal.PREALLOCATION, bytes.length, "file length");
        assertEquals(0, read.tornBytes(), "torn bytes");
    }

    @Test
    void appendInsideTheZerosAheadLeavesTheFileLengthAlone(@TempDir Path folder) throws Exception {
        Path path = folder.resolve("chirps.json.journal");

        long before;
        try (Journal journal = Journal.open(path, 0)) {
            journal.append(records(FIRST));
            before = Files.size(path);
            journal.append(records(SECOND, THIRD));
        }

        assertEquals(before, Files.size(path), "file length");
        assertEquals(3, Journal.read(Files.readAllBytes(path)).entries().size(), "records");
    }

    @Test
    void reopeningCutsTheZerosAndAppendsAfterTheLastRecord(@TempDir Path folder) throws Exception {
        Path path = folder.resolve("chirps.json.journal");
        try (Journal journal = Journal.open(path, 0)) {
            journal.append(records(FIRST));
        }

        try (Journal journal = Journal.open(path, Journal.read(Files.readAllBytes(path)).validEnd())) {
            journal.append(records(SECOND));
        }

        Journal.Contents read = Journal.read(Files.readAllBytes(path));
        assertEquals(List.of(new Journal.Posted(FIRST), new Journal.Posted(SECOND)), read.entries());
        assertEquals(0, read.tornBytes(), "torn bytes");
    }

    @Test
    void resetCutsTheFileToItsHeaderAndAppendsAfterIt(@TempDir Path folder) throws Exception {
        Path path = folder.resolve("chirps.json.journal");

        long afterReset;
        try (Journal journal = Journal.open(path, 0)) {
            journal.append(records(FIRST, SECOND));
            journal.reset();
            afterReset = Files.size(path);
            journal.append(records(THIRD));
        }

        assertEquals(Journal.MAGIC.length, afterReset, "file length after the reset");
        assertEquals(List.of(new Journal.Posted(THIRD)), Journal.read(Files.readAllBytes(path)).entries());
    }

    private static ByteBuffer records(Chirp... chirps) {
        ByteBuffer out = ByteBuffer.allocate(Arrays.stream(chirps).mapToInt(Journal::size).sum());
        for (Chirp chirp : chirps) {
            Journal.encode(chirp, out);
        }
        return out.flip();
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
