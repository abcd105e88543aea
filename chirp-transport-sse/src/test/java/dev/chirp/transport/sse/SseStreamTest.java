package dev.chirp.transport.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.Chirp;
import dev.chirp.core.guard.Guard;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xnio.Options;

/** What an open stream does for a client that reads and for one that stops reading. */
class SseStreamTest {

    private static final String HANDLE = "calmotter7";
    private static final Duration HEARTBEAT = Duration.ofMillis(200);
    private static final Duration REAP_AFTER = Duration.ofSeconds(1);
    /** Room for a busy machine to run a timer late. */
    private static final Duration SCHEDULING_SLACK = Duration.ofMillis(800);
    private static final long MIB = 1024 * 1024;

    private SseServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aStreamWhoseClientReadsStaysOpenPastTheReapTime() throws Exception {
        server = SseServer.start(Guard.builder().build(),
                builder -> builder.heartbeat(HEARTBEAT).reapAfter(REAP_AFTER), undertow -> { });
        int beats = (int) (REAP_AFTER.multipliedBy(3).toMillis() / HEARTBEAT.toMillis());

        try (EventStream stream = server.stream("/stream")) {
            stream.opening();
            stream.nextEvent();
            List<List<String>> quiet = new ArrayList<>();
            for (int i = 0; i < beats; i++) {
                quiet.add(stream.nextBlock());
            }
            Chirp live = server.store(HANDLE, "still listening");
            EventStream.Event event = stream.nextEvent();

            assertEquals(List.of(List.of(": keep-alive")), quiet.stream().distinct().toList(),
                    "the " + beats + " blocks of three reap times without chirps");
            assertEquals(String.valueOf(live.id()), event.id(), "the chirp posted afterwards");
            assertEquals(1, server.handler().openStreams(), "open streams");
        }
    }

    @Test
    void aClientThatHangsUpFreesItsStreamWithoutWaitingForAWrite() throws Exception {
        // No heartbeat and no chirp within the test: only reading the connection can notice.
        server = SseServer.start(Guard.builder().build(),
                builder -> builder.heartbeat(Duration.ofMinutes(10)).reapAfter(Duration.ofMinutes(20)), undertow -> { });
        EventStream leaving = server.stream("/stream");
        leaving.opening();
        leaving.nextEvent();
        int openBefore = server.handler().openStreams();

        leaving.close();
        boolean freed = server.awaitOpenStreams(0);

        assertEquals(1, openBefore, "open streams before the client hung up");
        assertTrue(freed, "open streams after the client hung up: " + server.handler().openStreams());
        assertTrue(server.awaitOpenConnections(0), "live connections counted: " + server.feed().connections().open());
    }

    @Test
    void aStreamWhoseWriteIsStuckIsDisconnectedAfterTheReapTime() throws Exception {
        // A small send buffer fills soon; a queue limit far above what is posted leaves the
        // reap time as the only reason to disconnect.
        server = SseServer.start(Guard.builder().noRateLimit().build(),
                builder -> builder.heartbeat(HEARTBEAT).reapAfter(REAP_AFTER)
                        .maxQueuedBytes(256 * MIB),
                undertow -> undertow.setSocketOption(Options.SEND_BUFFER, 32 * 1024));
        int total = 1000;
        int window = 100;
        Socket stuckSocket = new Socket();
        stuckSocket.setReceiveBufferSize(4096);

        try (EventStream reader = server.stream("/stream");
                EventStream stuck = EventStream.open(stuckSocket, server.port(), "/stream")) {
            reader.opening();
            reader.nextEvent();
            // The stuck client's last read until the end: its opening, which proves it subscribed.
            stuck.opening();
            stuck.nextEvent();
            int openBefore = server.handler().openStreams();

            // The reader keeps up within a window; the stuck one reads nothing.
            List<String> readTexts = new ArrayList<>();
            for (int start = 0; start < total; start += window) {
                for (int i = start; i < start + window; i++) {
                    server.feed().store().post(HANDLE, longText(i));
                }
                for (int i = start; i < start + window; i++) {
                    readTexts.add(ListItem.parse(reader.nextEvent().data()).text());
                }
            }
            long posted = System.nanoTime();
            boolean reaped = server.awaitOpenStreams(1);
            Duration stuckFor = Duration.ofNanos(System.nanoTime() - posted);
            List<EventStream.Event> stuckEvents = stuck.drainUntilClosed();
            Chirp afterwards = server.store(HANDLE, "still here");
            ListItem stillHere = ListItem.parse(reader.nextEvent().data());

            assertEquals(2, openBefore, "open streams before posting");
            assertTrue(reaped, "the stuck stream was disconnected within " + SseServer.TIMEOUT
                    + "; open streams: " + server.handler().openStreams());
            Duration latest = REAP_AFTER.plus(HEARTBEAT).plus(SCHEDULING_SLACK);
            assertTrue(stuckFor.compareTo(latest) <= 0, "disconnected " + stuckFor.toMillis()
                    + " ms after the last post, expected within "
                    + REAP_AFTER.plus(HEARTBEAT).toMillis() + " ms");
            assertEquals(1, server.feed().connections().open(), "live connections counted");
            assertTrue(stuckEvents.size() < total,
                    "chirps at the stuck client: " + stuckEvents.size());
            for (int i = 0; i < stuckEvents.size(); i++) {
                assertEquals(longText(i), ListItem.parse(stuckEvents.get(i).data()).text(),
                        "chirp " + i + " at the stuck client, in order until it was cut off");
            }
            for (int i = 0; i < total; i++) {
                assertEquals(longText(i), readTexts.get(i), "chirp " + i + " at the reader");
            }
            assertEquals(afterwards.id(), stillHere.id(), "the reader still gets live chirps");
        }
    }

    @Test
    void aClientThatNeverReadsTenThousandChirpsIsDroppedAndTheHeapStaysBounded() throws Exception {
        // A small send buffer keeps the kernel from absorbing what the stream's limit should.
        server = SseServer.start(Guard.builder().noRateLimit().build(), builder -> builder,
                undertow -> undertow.setSocketOption(Options.SEND_BUFFER, 32 * 1024));
        int total = 10_000;
        int window = 50;
        Socket stuckSocket = new Socket();
        stuckSocket.setReceiveBufferSize(4096);

        try (EventStream reader = server.stream("/stream");
                EventStream stuck = EventStream.open(stuckSocket, server.port(), "/stream")) {
            reader.opening();
            reader.nextEvent();
            stuck.opening();
            stuck.nextEvent();
            long heapBefore = Heap.usedAfterCollection();

            // The reader keeps up within a window far below the limit; the stuck one reads nothing.
            long eventBytes = 0;
            long previousId = 0;
            for (int start = 0; start < total; start += window) {
                for (int i = start; i < start + window; i++) {
                    server.feed().store().post(HANDLE, birdText(i));
                }
                for (int i = start; i < start + window; i++) {
                    EventStream.Event event = reader.nextEvent();
                    ListItem item = ListItem.parse(event.data());
                    assertEquals(birdText(i), item.text(), "chirp " + i + " at the reader");
                    assertTrue(item.id() > previousId, "chirp " + i + " has id " + item.id()
                            + ", after " + previousId);
                    previousId = item.id();
                    eventBytes += bytes(event);
                }
            }
            boolean dropped = server.awaitOpenStreams(1);
            long heapAfter = Heap.usedAfterCollection();
            stuck.drainUntilClosed();

            assertTrue(dropped, "the stream that never read was dropped; open streams: "
                    + server.handler().openStreams());
            long growth = heapAfter - heapBefore;
            long bound = Math.min(64 * MIB, eventBytes / 4);
            assertTrue(growth < bound, "heap grew by " + Heap.mebibytes(growth) + " (from "
                    + Heap.mebibytes(heapBefore) + " to " + Heap.mebibytes(heapAfter)
                    + "); the " + total + " events queued for the stuck client would take "
                    + Heap.mebibytes(eventBytes) + "; allowed below " + Heap.mebibytes(bound));
        }
    }

    private static String longText(int i) {
        return String.format("%04d ", i) + "chirp ".repeat(45).trim();
    }

    /** A chirp of the longest kind: 280 code points, most of them four bytes in UTF-8. */
    private static String birdText(int i) {
        return String.format("%05d ", i) + "\uD83D\uDC26".repeat(274);
    }

    /** Returns the bytes an event takes on the wire: its lines and newlines, and a blank line. */
    private static long bytes(EventStream.Event event) {
        long size = 1;
        for (String line : event.lines()) {
            size += line.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return size;
    }
}
