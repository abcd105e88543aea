package dev.chirp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client of {@code GET /stream} that parses events on its own thread as they arrive. Tests
 * wait for events with a timeout and can count everything received so far.
 */
final class SseClient implements AutoCloseable {

    /** One dispatched event; {@code type} is {@code message} when the event named none. */
    record Event(String id, String type, String data) {
    }

    /** How {@link #awaitEnd} describes a stream that ended cleanly. */
    static final String END_OF_STREAM = "end of stream";

    private final InputStream body;
    private final Thread reader;
    private final BlockingQueue<Event> arrived = new LinkedBlockingQueue<>();
    private final List<Event> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> ended = new CompletableFuture<>();

    private SseClient(HttpResponse<InputStream> response) {
        this.body = response.body();
        this.reader = new Thread(this::read, "sse-test-client");
        reader.setDaemon(true);
        reader.start();
    }

    static SseClient open(HttpClient http, HttpRequest request)
            throws IOException, InterruptedException {
        HttpResponse<InputStream> response =
                http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new AssertionError("GET /stream answered " + response.statusCode());
        }
        String type = response.headers().firstValue("content-type").orElse("");
        assertEquals("text/event-stream", type.split(";")[0], "the stream's content type");
        return new SseClient(response);
    }

    /** Returns the next {@code chirp} event, skipping other types, or fails after the timeout. */
    Event nextChirp(Duration timeout) throws InterruptedException {
        return awaitChirp("", timeout);
    }

    /**
     * Returns the first {@code chirp} event still to come whose data contains the fragment, or
     * fails after the timeout. Events before it are passed over.
     */
    Event awaitChirp(String fragment, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event event = left <= 0 ? null : arrived.poll(left, TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no chirp event containing '" + fragment + "' within "
                        + timeout + "; received so far: " + received);
            }
            if (event.type().equals("chirp") && event.data().contains(fragment)) {
                return event;
            }
        }
    }

    /** Returns how many {@code chirp} events received so far contain the fragment. */
    long chirpsContaining(String fragment) {
        return received.stream()
                .filter(event -> event.type().equals("chirp") && event.data().contains(fragment))
                .count();
    }

    /**
     * Waits until the stream ends, by the server's doing or the test's, and returns how:
     * {@link #END_OF_STREAM} for a clean end, or else the error that ended the reading.
     */
    String awaitEnd(Duration timeout) throws InterruptedException {
        try {
            return ended.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the stream did not end within " + timeout
                    + "; received so far: " + received, e);
        }
    }

    @Override
    public void close() throws IOException {
        reader.interrupt();
        body.close();
    }

    private void read() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String type = null;
            StringBuilder data = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data != null) {
                        String named = type == null ? "message" : type;
                        Event event = new Event(id, named, data.toString());
                        received.add(event);
                        arrived.add(event);
                    }
                    type = null;
                    data = null;
                } else if (line.startsWith("id:")) {
                    id = value(line);
                } else if (line.startsWith("event:")) {
                    type = value(line);
                } else if (line.startsWith("data:")) {
                    data = data == null
                            ? new StringBuilder(value(line))
                            : data.append('\n').append(value(line));
                }
            }
            ended.complete(END_OF_STREAM);
        } catch (IOException e) {
            // The test closed the stream, or the server broke it off; either way reading is over.
            ended.complete(e.toString());
        }
    }

    private static String value(String line) {
        String value = line.substring(line.indexOf(':') + 1);
        return value.startsWith(" ") ? value.substring(1) : value;
    }
}
