package dev.chirp.transport.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.Chirp;
import dev.chirp.core.guard.Guard;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xnio.Options;

class StreamRouteTest {

    private static final String HANDLE = "calmotter7";
    private static final List<String> OPENING = List.of("retry: 2000");

    private SseServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sendsTheBacklogOldestFirstAfterAResetThenLiveChirps() throws Exception {
        server = SseServer.start(Guard.builder().build());
        Chirp first = server.store(HANDLE, "first");
        Chirp second = server.store(HANDLE, "second");
        Chirp third = server.store(HANDLE, "third");

        try (EventStream stream = server.stream("/stream")) {
            List<String> opening = stream.opening();
            EventStream.Event reset = stream.nextEvent();
            List<EventStream.Event> backlog =
                    List.of(stream.nextEvent(), stream.nextEvent(), stream.nextEvent());
            HttpResponse<String> posted =
                    server.postForm("chirp=live+one", "Cookie", "handle=" + HANDLE);
            EventStream.Event live = stream.nextEvent();

            assertEquals(200, stream.status(), "status of the stream");
            assertEquals("text/event-stream; charset=UTF-8",
                    stream.header("Content-Type").orElse(null), "content type of the stream");
            assertEquals("no-cache", stream.header("Cache-Control").orElse(null), "caching");
            assertEquals(OPENING, opening, "the stream's first block");
            assertEquals("reset", reset.type(), "the event before a full replay");
            assertChirpEvent(first, backlog.get(0));
            assertChirpEvent(second, backlog.get(1));
            assertChirpEvent(third, backlog.get(2));
            assertEquals(204, posted.statusCode(), "status of the post: " + posted.body());
            Chirp stored = server.feed().store().chirps().get(0);
            assertEquals("live one", stored.text(), "the newest chirp in the feed");
            assertChirpEvent(stored, live);
        }
    }

    @Test
    void resumesAfterTheLastEventIdHeader() throws Exception {
        server = SseServer.start(Guard.builder().noRateLimit().build());
        String lastSeen = readThreeThenPostFive();

        try (EventStream resumed = server.stream("/stream", "Last-Event-ID: " + lastSeen)) {
            assertResumedWithExactlyTheFive(resumed);
        }
    }

    @Test
    void resumesAfterTheLastEventIdQueryParameter() throws Exception {
        server = SseServer.start(Guard.builder().noRateLimit().build());
        String lastSeen = readThreeThenPostFive();

        try (EventStream resumed = server.stream("/stream?lastEventId=" + lastSeen)) {
            assertResumedWithExactlyTheFive(resumed);
        }
    }

    @Test
    void theHeaderWinsOverTheQueryParameter() throws Exception {
        // A page opened with ?lastEventId keeps it in its URL; when the browser reconnects on
        // its own it adds the newer Last-Event-ID header, which must decide.
        server = SseServer.start(Guard.builder().build());
        Chirp first = server.store(HANDLE, "first");
        Chirp second = server.store(HANDLE, "second");

        try (EventStream stream = server.stream("/stream?lastEventId=" + second.id(),
                "Last-Event-ID: " + first.id())) {
            assertEquals(OPENING, stream.opening(), "the stream's first block");
            assertChirpEvent(second, stream.nextEvent());
        }
    }

    @Test
    void aClientThatHasTheNewestChirpGetsOnlyLiveChirps() throws Exception {
        server = SseServer.start(Guard.builder().build());
        server.store(HANDLE, "old");
        Chirp newest = server.store(HANDLE, "newest");

        try (EventStream stream = server.stream("/stream", "Last-Event-ID: " + newest.id())) {
            List<String> opening = stream.opening();
            Chirp live = server.store(HANDLE, "live");
            EventStream.Event event = stream.nextEvent();

            assertEquals(OPENING, opening, "the stream's first block");
            assertChirpEvent(live, event);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "99999999999999999", "abc", "-5", "", "12 34"})
    void anIdTheFeedDoesNotHoldGetsAResetAndTheWholeBacklog(String lastEventId) throws Exception {
        server = SseServer.start(Guard.builder().build());
        Chirp first = server.store(HANDLE, "first");
        Chirp second = server.store(HANDLE, "second");
        String query = URLEncoder.encode(lastEventId, StandardCharsets.UTF_8);

        try (EventStream byHeader = server.stream("/stream", "Last-Event-ID: " + lastEventId);
                EventStream byQuery = server.stream("/stream?lastEventId=" + query)) {
            for (EventStream stream : List.of(byHeader, byQuery)) {
                assertEquals(OPENING, stream.opening(), "the stream's first block");
                assertEquals("reset", stream.nextEvent().type(), "the event before a full replay");
                assertChirpEvent(first, stream.nextEvent());
                assertChirpEvent(second, stream.nextEvent());
            }
        }
    }

    @Test
    void jsonFormatCarriesEachChirpAsJsonWithTheSameIdsAndResume() throws Exception {
        server = SseServer.start(Guard.builder().noRateLimit().build());
        Chirp first = server.store(HANDLE, "first");
        Chirp second = server.store(HANDLE, "line one\nline \"two\"");

        try (EventStream stream = server.stream("/stream?format=json&lastEventId=" + first.id())) {
            stream.opening();
            EventStream.Event event = stream.nextEvent();

            assertEquals(Long.toString(second.id()), event.id(), "the event id is the chirp id");
            assertEquals("chirp", event.type());
            assertEquals(server.feed().render().json(second), event.data(), "the chirp as JSON");
            assertEquals("{\"id\":" + second.id() + ",\"handle\":\"" + HANDLE
                    + "\",\"text\":\"line one\\nline \\\"two\\\"\",\"at\":" + second.at().getEpochSecond() + "}",
                    event.data(), "one line of JSON");
        }
    }

    @Test
    void anUnknownFormatIsRefusedWith400() throws Exception {
        server = SseServer.start(Guard.builder().build());

        HttpResponse<String> answer = server.send(HttpRequest.newBuilder(server.uri("/stream?format=xml")));

        assertEquals(400, answer.statusCode());
        assertEquals("The stream's format is html or json, not 'xml'.\n", answer.body());
        assertTrue(server.awaitOpenConnections(0), "no connection counted");
    }

    @Test
    void lineBreaksInAChirpNeverEndItsDataLine() throws Exception {
        server = SseServer.start(Guard.builder().build());
        String text = "one\rtwo\nthree\r\nfour\n\ndata: x\r\r\nevent: reset";

        try (EventStream stream = server.stream("/stream")) {
            stream.opening();
            stream.nextEvent();
            HttpResponse<String> posted =
                    server.postForm("chirp=" + URLEncoder.encode(text, StandardCharsets.UTF_8));
            List<String> block = stream.nextBlock();
            server.postForm("chirp=after");
            EventStream.Event next = stream.nextEvent();

            assertEquals(204, posted.statusCode(), "status of the post: " + posted.body());
            assertEquals(3, block.size(), "lines of the event: " + block);
            for (String line : block) {
                assertFalse(line.contains("\r"), "a browser ends a line at a CR: " + line);
            }
            EventStream.Event event = EventStream.Event.of(block);
            assertEquals("chirp", event.type(), "type of the event");
            assertEquals("one&#10;two&#10;three&#10;four&#10;&#10;data: x&#10;&#10;event: reset",
                    ListItem.parse(event.data()).text(), "the text, line breaks as references");
            assertEquals("after", ListItem.parse(next.data()).text(), "the event after it");
        }
    }

    @Test
    void markupInAChirpArrivesEscaped() throws Exception {
        server = SseServer.start(Guard.builder().build());
        server.store(HANDLE, "<b>hi</b> & \"you\" 'there'");

        try (EventStream stream = server.stream("/stream")) {
            stream.opening();
            stream.nextEvent();
            EventStream.Event event = stream.nextEvent();

            assertEquals("&lt;b&gt;hi&lt;/b&gt; &amp; &quot;you&quot; &#39;there&#39;",
                    ListItem.parse(event.data()).text(), "the escaped text");
        }
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedWhileAReadingClientGetsEveryChirp()
            throws Exception {
        // A small send buffer keeps the kernel from absorbing what the stream's limit should.
        server = SseServer.start(Guard.builder().noRateLimit().build(), builder -> builder,
                undertow -> undertow.setSocketOption(Options.SEND_BUFFER, 32 * 1024));
        int total = 3000;
        int window = 100;
        Socket slowSocket = new Socket();
        slowSocket.setReceiveBufferSize(4096);

        try (EventStream reader = server.stream("/stream");
                EventStream slow = EventStream.open(slowSocket, server.port(), "/stream")) {
            reader.opening();
            reader.nextEvent();
            // The slow client's last read until the end: its opening, which proves it subscribed.
            slow.opening();
            slow.nextEvent();
            int openBefore = server.handler().openStreams();

            // The reader keeps up within a window far below the limit; the slow one reads nothing.
            List<Long> readIds = new ArrayList<>();
            CompletableFuture<Chirp> last = null;
            for (int start = 0; start < total; start += window) {
                for (int i = start; i < start + window; i++) {
                    last = server.feed().store().post(HANDLE, longText(i));
                }
                for (int i = start; i < start + window; i++) {
                    ListItem item = ListItem.parse(reader.nextEvent().data());
                    assertEquals(longText(i), item.text(), "chirp " + i + " at the reader");
                    readIds.add(item.id());
                }
            }
            // The slow client is dropped while a chirp is published, before its post completes.
            last.get(SseServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            int openAfter = server.handler().openStreams();
            List<EventStream.Event> slowEvents = slow.drainUntilClosed();
            Chirp afterwards = server.store(HANDLE, "still here");
            ListItem stillHere = ListItem.parse(reader.nextEvent().data());

            assertEquals(2, openBefore, "open streams before posting");
            assertEquals(1, openAfter, "open streams once the slow client fell too far behind");
            assertTrue(slowEvents.size() < total,
                    "chirps at the slow client: " + slowEvents.size());
            for (int i = 0; i < slowEvents.size(); i++) {
                assertEquals(String.valueOf(readIds.get(i)), slowEvents.get(i).id(),
                        "event " + i + " at the slow client, in order until it was cut off");
            }
            assertEquals(afterwards.id(), stillHere.id(), "the reader still gets live chirps");
        }
    }

    @Test
    void streamsOpenedWhileChirpsArePublishedMissAndRepeatNothing() throws Exception {
        server = SseServer.start(Guard.builder().noRateLimit().build());
        List<CompletableFuture<Chirp>> posts = new ArrayList<>();
        List<EventStream> streams = new ArrayList<>();

        try {
            // Each stream opens while the timeline's writer may still publish the batch before it.
            for (int batch = 0; batch < 6; batch++) {
                for (int i = 0; i < 100; i++) {
                    posts.add(server.feed().store().post(HANDLE, "chirp " + batch + "." + i));
                }
                streams.add(server.stream("/stream"));
            }
            posts.add(server.feed().store().post(HANDLE, "end"));
            List<Long> all = new ArrayList<>();
            for (CompletableFuture<Chirp> post : posts) {
                all.add(post.get(SseServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).id());
            }
            long lastId = all.get(all.size() - 1);

            for (EventStream stream : streams) {
                assertEquals(OPENING, stream.opening(), "the stream's first block");
                assertEquals("reset", stream.nextEvent().type(), "the event before a full replay");
                List<Long> received = new ArrayList<>();
                do {
                    received.add(Long.valueOf(stream.nextEvent().id()));
                } while (received.get(received.size() - 1) != lastId);
                int first = all.indexOf(received.get(0));
                assertEquals(all.subList(first, all.size()), received,
                        "ids at a stream: a run with no gap and no repeat up to the last chirp");
            }
        } finally {
            for (EventStream stream : streams) {
                stream.close();
            }
        }
    }

    private static String longText(int i) {
        return String.format("%04d ", i) + "chirp ".repeat(45).trim();
    }

    /** Connects, reads three live chirps, disconnects, posts five; returns the last id read. */
    private String readThreeThenPostFive() throws Exception {
        String lastSeen = null;
        try (EventStream stream = server.stream("/stream")) {
            stream.opening();
            assertEquals("reset", stream.nextEvent().type(), "the event before a full replay");
            for (int i = 1; i <= 3; i++) {
                HttpResponse<String> posted = server.postForm("chirp=seen+" + i);
                assertEquals(204, posted.statusCode(), "status of post " + i);
            }
            for (int i = 1; i <= 3; i++) {
                EventStream.Event event = stream.nextEvent();
                assertEquals("seen " + i, ListItem.parse(event.data()).text(), "live chirp " + i);
                lastSeen = event.id();
            }
        }
        for (int i = 1; i <= 5; i++) {
            HttpResponse<String> posted = server.postForm("chirp=missed+" + i);
            assertEquals(204, posted.statusCode(), "status of missed post " + i);
        }
        return lastSeen;
    }

    /** Checks that a resumed stream sends the five missed chirps in order, then live ones. */
    private void assertResumedWithExactlyTheFive(EventStream resumed) throws Exception {
        List<Chirp> newestFirst = server.feed().store().chirps();
        assertEquals(OPENING, resumed.opening(), "the resumed stream's first block");
        for (int i = 1; i <= 5; i++) {
            EventStream.Event event = resumed.nextEvent();
            assertEquals("chirp", event.type(), "event " + i + " after resuming, not a reset");
            assertEquals("missed " + i, ListItem.parse(event.data()).text(), "event " + i);
            assertChirpEvent(newestFirst.get(5 - i), event);
        }
        Chirp live = server.store(HANDLE, "live");
        assertChirpEvent(live, resumed.nextEvent());
    }

    private static void assertChirpEvent(Chirp expected, EventStream.Event event) {
        List<String> lines = event.lines();
        assertEquals(3, lines.size(), "lines of the event: " + lines);
        assertEquals("id: " + expected.id(), lines.get(0), "the event's id line");
        assertEquals("event: chirp", lines.get(1), "the event's type line");
        assertTrue(lines.get(2).startsWith("data: <li class=\"chirp\" id=\"chirp-" + expected.id()),
                "the event's data line: " + lines.get(2));
        assertEquals(new ListItem(expected.id(), expected.handle(), expected.text()),
                ListItem.parse(event.data()), "the rendered chirp");
    }
}
