package dev.chirp.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.Chirp;
import dev.chirp.core.guard.Guard;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xnio.Options;

class SocketsTest {

    private static final String HANDLE = "calmotter7";
    private static final String REPLACE = "innerHTML:#feed";
    private static final String PREPEND = "afterbegin:#feed";
    private static final String EMPTY_FEED = "<div hx-swap-oob=\"innerHTML:#feed\"></div>";

    private WsServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theFirstFrameReplacesTheFeedNewestFirst() throws Exception {
        server = WsServer.start(Guard.builder().build());
        Chirp first = server.store(HANDLE, "first");
        Chirp second = server.store(HANDLE, "second");
        Chirp third = server.store(HANDLE, "third");

        try (WsClient client = server.connect("/socket")) {
            String frame = client.nextFrame();

            assertTrue(frame.startsWith("<div hx-swap-oob=\"innerHTML:#feed\">"
                    + "<li class=\"chirp\" id=\"chirp-" + third.id() + "\""),
                    "the first frame: " + frame);
            assertEquals(List.of(carrier(REPLACE, third, second, first)), Fragments.carriers(frame),
                    "the first frame");
        }
    }

    @Test
    void anEmptyFeedIsReplacedWithNothing() throws Exception {
        server = WsServer.start(Guard.builder().build());

        try (WsClient client = server.connect("/socket")) {
            assertEquals(EMPTY_FEED, client.nextFrame(), "the first frame");
        }
    }

    @Test
    void sinceAHeldChirpOnlyTheLaterOnesComeAsCarriersOldestFirst() throws Exception {
        server = WsServer.start(Guard.builder().build());
        server.store(HANDLE, "first");
        Chirp second = server.store(HANDLE, "second");
        Chirp third = server.store(HANDLE, "third");
        Chirp fourth = server.store(HANDLE, "fourth");

        try (WsClient client = server.connect("/socket?since=" + second.id())) {
            String backlog = client.nextFrame();
            Chirp live = server.store(HANDLE, "live");
            String next = client.nextFrame();

            assertEquals(List.of(carrier(PREPEND, third), carrier(PREPEND, fourth)),
                    Fragments.carriers(backlog), "the backlog frame");
            assertEquals(List.of(carrier(PREPEND, live)), Fragments.carriers(next),
                    "the live frame");
        }
    }

    @Test
    void sinceTheNewestChirpNothingComesBeforeTheNextChirp() throws Exception {
        server = WsServer.start(Guard.builder().build());
        Chirp newest = server.store(HANDLE, "newest");

        try (WsClient client = server.connect("/socket?since=" + newest.id())) {
            Chirp live = server.store(HANDLE, "live");
            String frame = client.nextFrame();

            assertEquals(List.of(carrier(PREPEND, live)), Fragments.carriers(frame), "first frame");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "99999999999999999", "abc", "-5", ""})
    void sinceAnIdTheFeedDoesNotHoldReplacesTheFeed(String since) throws Exception {
        server = WsServer.start(Guard.builder().build());
        Chirp first = server.store(HANDLE, "first");
        Chirp second = server.store(HANDLE, "second");

        try (WsClient client = server.connect("/socket?since=" + since)) {
            String frame = client.nextFrame();

            assertEquals(List.of(carrier(REPLACE, second, first)), Fragments.carriers(frame),
                    "the first frame");
        }
    }

    @Test
    void everySocketGetsEachNewChirpAsACarrier() throws Exception {
        server = WsServer.start(Guard.builder().build());

        try (WsClient one = server.connect("/socket"); WsClient two = server.connect("/socket")) {
            one.nextFrame();
            two.nextFrame();
            Chirp first = server.store(HANDLE, "first <b>bold</b>");
            Chirp second = server.store("bravelynx3", "second");

            ListItem escaped = new ListItem(first.id(), HANDLE, "first &lt;b&gt;bold&lt;/b&gt;");
            for (WsClient client : List.of(one, two)) {
                // A frame carries every chirp of a round, so the two may come in one or two.
                List<Fragments.Carrier> carriers = new ArrayList<>();
                while (carriers.size() < 2) {
                    carriers.addAll(Fragments.carriers(client.nextFrame()));
                }
                assertEquals(List.of(new Fragments.Carrier(PREPEND, List.of(escaped)), carrier(PREPEND, second)),
                        carriers, "the live carriers");
            }
        }
    }

    @Test
    void aSocketThatStopsReadingIsDroppedWhileAReadingSocketGetsEveryChirp() throws Exception {
        // A small send buffer keeps the kernel from absorbing what the socket's limit should.
        server = WsServer.start(Guard.builder().noRateLimit().build(), builder -> builder,
                undertow -> undertow.setSocketOption(Options.SEND_BUFFER, 32 * 1024));
        int total = 3000;
        int window = 100;
        Socket stuckSocket = new Socket();
        stuckSocket.setReceiveBufferSize(4096);

        try (WsClient reader = server.connect("/socket");
                RawWebSocket stuck = RawWebSocket.open(stuckSocket, server.port(), "")) {
            reader.nextFrame();
            // The stuck socket's last read until the end: its first frame, sent once subscribed.
            String stuckFirst = stuck.nextTextFrame();
            int openBefore = server.handler().openSockets();

            // The reader keeps up within a window far below the limit; the stuck one reads nothing.
            for (int start = 0; start < total; start += window) {
                for (int i = start; i < start + window; i++) {
                    server.feed().store().post(HANDLE, longText(i));
                }
                int i = start;
                while (i < start + window) {
                    for (Fragments.Carrier carrier : Fragments.carriers(reader.nextFrame())) {
                        assertEquals(1, carrier.items().size(), "chirps in one carrier");
                        assertEquals(longText(i), carrier.items().get(0).text(), "chirp " + i + " at the reader");
                        i++;
                    }
                }
            }
            boolean dropped = server.awaitOpenSockets(1);
            long stuckBytes = stuck.drainUntilClosed();
            Chirp live = server.store(HANDLE, "still here");
            String liveFrame = reader.nextFrame();

            assertEquals(EMPTY_FEED, stuckFirst, "the stuck socket's first frame");
            assertEquals(2, openBefore, "open sockets before posting");
            assertTrue(dropped, "the socket that stopped reading was dropped");
            assertTrue(stuckBytes < (long) total * longText(0).length(),
                    "bytes the stuck socket got: " + stuckBytes);
            assertEquals(List.of(carrier(PREPEND, live)), Fragments.carriers(liveFrame),
                    "the reading socket still gets live chirps");
        }
    }

    @Test
    void socketsOpenedWhileChirpsArePublishedMissAndRepeatNothing() throws Exception {
        server = WsServer.start(Guard.builder().noRateLimit().build());
        List<CompletableFuture<Chirp>> posts = new ArrayList<>();
        List<WsClient> clients = new ArrayList<>();

        try {
            // Each socket opens while the timeline's writer may still publish the batch before it.
            for (int batch = 0; batch < 6; batch++) {
                for (int i = 0; i < 100; i++) {
                    posts.add(server.feed().store().post(HANDLE, "chirp " + batch + "." + i));
                }
                clients.add(server.connect("/socket"));
            }
            posts.add(server.feed().store().post(HANDLE, "end"));
            List<Long> all = new ArrayList<>();
            for (CompletableFuture<Chirp> post : posts) {
                all.add(post.get(WsServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).id());
            }

            for (WsClient client : clients) {
                List<Long> received = receivedUntil(client, all.get(all.size() - 1));
                int first = all.indexOf(received.get(0));
                assertEquals(all.subList(first, all.size()), received,
                        "ids at a socket: a run with no gap and no repeat up to the last chirp");
            }
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    /** Reads the feed a page would show, oldest first, until it shows the given chirp. */
    private static List<Long> receivedUntil(WsClient client, long lastId) throws Exception {
        List<Fragments.Carrier> replacement = Fragments.carriers(client.nextFrame());
        assertEquals(1, replacement.size(), "carriers in the first frame");
        assertEquals(REPLACE, replacement.get(0).swap(), "the first frame's swap");
        List<Long> received = new ArrayList<>();
        replacement.get(0).items().forEach(item -> received.add(0, item.id()));
        while (received.isEmpty() || received.get(received.size() - 1) != lastId) {
            for (Fragments.Carrier carrier : Fragments.carriers(client.nextFrame())) {
                assertEquals(PREPEND, carrier.swap(), "a live carrier's swap");
                carrier.items().forEach(item -> received.add(item.id()));
            }
        }
        return received;
    }

    private static String longText(int i) {
        return String.format("%04d ", i) + "chirp ".repeat(45).trim();
    }

    private static Fragments.Carrier carrier(String swap, Chirp... chirps) {
        List<ListItem> items = new ArrayList<>();
        for (Chirp chirp : chirps) {
            items.add(new ListItem(chirp.id(), chirp.handle(), chirp.text()));
        }
        return new Fragments.Carrier(swap, items);
    }
}
