package dev.chirp.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.Chirp;
import dev.chirp.core.guard.Guard;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xnio.Options;

/** Pings, and what happens to a client that answers them or does not. */
class SocketTest {

    private static final String HANDLE = "calmotter7";
    private static final String EMPTY_FEED = "<div hx-swap-oob=\"innerHTML:#feed\"></div>";
    private static final Duration HEARTBEAT = Duration.ofMillis(200);
    private static final Duration REAP_AFTER = Duration.ofSeconds(1);
    /** Room for a busy machine to run a timer late. */
    private static final Duration SCHEDULING_SLACK = Duration.ofMillis(800);

    private WsServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theServerPingsAtTheHeartbeatInterval() throws Exception {
        server = WsServer.start(Guard.builder().build(), builder -> builder.heartbeat(HEARTBEAT));
        int intervals = 5;

        try (RawWebSocket client = RawWebSocket.open(new Socket(), server.port(), "")) {
            long connected = System.nanoTime();
            String first = client.nextTextFrame();
            List<Long> pingedAt = new ArrayList<>();
            List<Integer> opcodes = new ArrayList<>();
            for (int i = 0; i <= intervals; i++) {
                RawWebSocket.Frame frame = client.nextFrame();
                pingedAt.add(System.nanoTime());
                opcodes.add(frame.opcode());
            }

            assertEquals(EMPTY_FEED, first, "the first frame");
            assertEquals(Collections.nCopies(intervals + 1, RawWebSocket.Frame.PING), opcodes,
                    "opcodes of the frames after it");
            Duration firstPing = Duration.ofNanos(pingedAt.get(0) - connected);
            assertTrue(firstPing.compareTo(HEARTBEAT.dividedBy(2)) >= 0,
                    "the first ping came " + firstPing.toMillis() + " ms after the handshake");
            Duration expected = HEARTBEAT.multipliedBy(intervals);
            Duration span = Duration.ofNanos(pingedAt.get(intervals) - pingedAt.get(0));
            String timing = intervals + " intervals between pings took " + span.toMillis()
                    + " ms, expected about " + expected.toMillis() + " ms";
            assertTrue(span.compareTo(expected.dividedBy(2)) >= 0, timing);
            assertTrue(span.compareTo(expected.plus(SCHEDULING_SLACK)) <= 0, timing);
        }
    }

    @Test
    void aClientThatNeitherReadsNorWritesIsClosedAndUnsubscribedAfterTheReapTime()
            throws Exception {
        server = WsServer.start(Guard.builder().build(),
                builder -> builder.heartbeat(HEARTBEAT).reapAfter(REAP_AFTER));
        long handshakeStarted = System.nanoTime();

        try (RawWebSocket silent = RawWebSocket.open(new Socket(), server.port(), "")) {
            // Its last read until the end: the first frame, which proves the socket is open.
            String first = silent.nextTextFrame();
            int openBefore = server.handler().openSockets();
            boolean unsubscribed = server.awaitOpenSockets(0);
            Duration silentFor = Duration.ofNanos(System.nanoTime() - handshakeStarted);
            boolean released = server.awaitOpenConnections(0);
            int openAfter = server.handler().openSockets();
            // Returns at the end of the stream or a reset; throws if the socket is still open.
            silent.drainUntilClosed();

            assertEquals(EMPTY_FEED, first, "the first frame");
            assertEquals(1, openBefore, "open sockets once the first frame came");
            assertTrue(unsubscribed, "the silent socket unsubscribed within " + WsServer.TIMEOUT);
            assertTrue(silentFor.compareTo(REAP_AFTER) >= 0,
                    "closed after " + silentFor.toMillis() + " ms, before the reap time");
            Duration latest = REAP_AFTER.plus(HEARTBEAT).plus(SCHEDULING_SLACK);
            assertTrue(silentFor.compareTo(latest) <= 0, "closed after " + silentFor.toMillis()
                    + " ms, expected within " + REAP_AFTER.plus(HEARTBEAT).toMillis() + " ms");
            assertEquals(0, openAfter, "open sockets after the silent one was closed");
            assertTrue(released, "live connections counted: " + server.feed().connections().open());
        }
    }

    @Test
    void aClientThatAnswersPingsStaysOpenPastTheReapTimeAndStillGetsChirps() throws Exception {
        server = WsServer.start(Guard.builder().build(),
                builder -> builder.heartbeat(HEARTBEAT).reapAfter(REAP_AFTER));

        try (WsClient client = server.connect("/socket")) {
            String first = client.nextFrame();
            Optional<WsClient.Closing> closing = client.closingWithin(REAP_AFTER.multipliedBy(3));
            Chirp live = server.store(HANDLE, "still listening");
            String frame = client.nextFrame();

            assertEquals(EMPTY_FEED, first, "the first frame");
            assertEquals(Optional.empty(), closing, "the server's close frame");
            assertTrue(client.pings() >= 5, "pings answered while waiting: " + client.pings());
            assertEquals(1, server.handler().openSockets(), "open sockets");
            List<ListItem> items = Fragments.carriers(frame).get(0).items();
            assertEquals(List.of(new ListItem(live.id(), HANDLE, live.text())), items,
                    "the chirp posted after three reap times");
        }
    }

    @Test
    void aSocketThatNeverReadsTenThousandChirpsIsDroppedAndTheHeapStaysBounded()
            throws Exception {
        // A small send buffer keeps the kernel from absorbing what the socket's limit should.
        server = WsServer.start(Guard.builder().noRateLimit().build(), builder -> builder,
                undertow -> undertow.setSocketOption(Options.SEND_BUFFER, 32 * 1024));
        int total = 10_000;
        int window = 50;
        Socket stuckSocket = new Socket();
        stuckSocket.setReceiveBufferSize(4096);

        try (WsClient reader = server.connect("/socket");
                RawWebSocket stuck = RawWebSocket.open(stuckSocket, server.port(), "")) {
            reader.nextFrame();
            // The stuck socket's last read until the end: its first frame, sent once subscribed.
            stuck.nextTextFrame();
            long heapBefore = Heap.usedAfterCollection();

            // The reader keeps up within a window far below the limit; the stuck one reads nothing.
            long frameBytes = 0;
            long previousId = 0;
            int received = 0;
            for (int start = 0; start < total; start += window) {
                for (int i = start; i < start + window; i++) {
                    server.feed().store().post(HANDLE, birdText(i));
                }
                while (received < start + window) {
                    String frame = reader.nextFrame();
                    frameBytes += frame.getBytes(StandardCharsets.UTF_8).length;
                    for (Fragments.Carrier carrier : Fragments.carriers(frame)) {
                        for (ListItem item : carrier.items()) {
                            assertEquals(birdText(received), item.text(),
                                    "chirp " + received + " at the reader");
                            assertTrue(item.id() > previousId, "chirp " + received + " has id "
                                    + item.id() + ", after " + previousId);
                            previousId = item.id();
                            received++;
                        }
                    }
                }
            }
            boolean dropped = server.awaitOpenSockets(1);
            long heapAfter = Heap.usedAfterCollection();
            stuck.drainUntilClosed();

            assertTrue(dropped, "the socket that never read was dropped");
            assertEquals(1, server.handler().openSockets(), "open sockets");
            long growth = heapAfter - heapBefore;
            long bound = Math.min(64L * 1024 * 1024, frameBytes / 4);
            assertTrue(growth < bound, "heap grew by " + Heap.mebibytes(growth) + " (from "
                    + Heap.mebibytes(heapBefore) + " to " + Heap.mebibytes(heapAfter)
                    + "); the " + total + " frames queued for the stuck socket would take "
                    + Heap.mebibytes(frameBytes) + "; allowed below " + Heap.mebibytes(bound));
        }
    }

    /** A chirp of the longest kind: 280 code points, most of them four bytes in UTF-8. */
    private static String birdText(int i) {
        return String.format("%05d ", i) + "\uD83D\uDC26".repeat(274);
    }
}
