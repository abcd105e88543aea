package dev.chirp.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A client of a running Chirp, as a test sees it: an event stream, a socket and plain requests. */
final class LiveFeed implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private Thread streamReader;
    private WebSocket socket;

    LiveFeed(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** Opens {@code GET /stream}; returns once the response has begun. */
    void followStream() throws IOException, InterruptedException {
        HttpResponse<Stream<String>> response = http.send(
                HttpRequest.newBuilder(URI.create(base + "/stream")).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /stream answered " + response.statusCode());
        }
        streamReader = new Thread(() -> {
            try {
                response.body().forEach(received::add);
            } catch (UncheckedIOException closed) {
                // the stream ended with the test
            }
        }, "test-stream-reader");
        streamReader.setDaemon(true);
        streamReader.start();
    }

    /** Opens the WebSocket on {@code /socket}; its text frames arrive with the stream's lines. */
    void openSocket() {
        socket = http.newWebSocketBuilder()
                .buildAsync(URI.create(base.replace("http:", "ws:") + "/socket"), new WebSocket.Listener() {
                    private final StringBuilder frame = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        frame.append(data);
                        if (last) {
                            received.add(frame.toString());
                            frame.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                })
                .orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    /** Sends a chirp over the socket, as the page does. */
    void sendOverSocket(String text) {
        socket.sendText("{\"chirp\": \"" + text + "\"}", true).join();
    }

    /** Posts a chirp as the page's form does; returns the status code. */
    int post(String text) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/chirps"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("chirp=" + text.replace(' ', '+')))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Fetches a path; returns the response. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Waits for a line of the stream or a socket frame that contains {@code text}.
     *
     * @return that line or frame
     * @throws AssertionError naming everything received if none came within ten seconds
     */
    String awaitContaining(String text) throws InterruptedException {
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (long left = PATIENCE.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            String next = received.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            if (next.contains(text)) {
                return next;
            }
            seen.append(next).append('\n');
        }
        throw new AssertionError("'" + text + "' did not arrive; received:\n" + seen);
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        if (streamReader != null) {
            streamReader.interrupt();
        }
    }
}
