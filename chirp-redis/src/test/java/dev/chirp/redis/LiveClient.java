package dev.chirp.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A live client of one node, by event stream or WebSocket, that notes the id of every chirp it
 * receives, in order of arrival. Tests wait until it holds what they expect, with a timeout.
 */
abstract class LiveClient implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern ITEM_ID = Pattern.compile("id=\"chirp-(\\d+)\"");

    private final String name;
    private final List<Long> ids = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();

    LiveClient(String name) {
        this.name = name;
    }

    /** Opens {@code GET /stream}, after {@code lastEventId} if it is positive. */
    static LiveClient sse(HttpClient http, int port, long lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stream"));
        if (lastEventId > 0) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new AssertionError("GET /stream on port " + port + " answered " + response.statusCode());
        }
        return new Sse("sse:" + port, response.body());
    }

    /** Opens {@code /socket}, with {@code ?since=} if {@code since} is positive. */
    static LiveClient ws(HttpClient http, int port, long since) throws Exception {
        Ws client = new Ws("ws:" + port);
        String query = since > 0 ? "?since=" + since : "";
        client.socket = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/socket" + query), client)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return client;
    }

    /** Returns the ids received so far, in order. */
    synchronized List<Long> ids() {
        return List.copyOf(ids);
    }

    /** Waits until the ids received so far pass the check, or fails saying what arrived. */
    synchronized List<Long> await(String what, Predicate<List<Long>> check) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!check.test(ids)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(name + " did not receive " + what + " within " + TIMEOUT
                        + "; received " + ids.size() + ": " + ids);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(ids);
    }

    /** Waits until a WebSocket frame holding this text arrives, or fails. */
    synchronized String awaitText(String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            for (String text : texts) {
                if (text.contains(fragment)) {
                    return text;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(name + " received no frame with '" + fragment + "' within " + TIMEOUT
                        + "; received " + texts);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Waits until at least this many ids arrived. */
    List<Long> awaitCount(int count) throws InterruptedException {
        return await(count + " chirps", received -> received.size() >= count);
    }

    String name() {
        return name;
    }

    synchronized void received(long id) {
        ids.add(id);
        notifyAll();
    }

    void receivedItems(String html) {
        synchronized (this) {
            texts.add(html);
            notifyAll();
        }
        Matcher item = ITEM_ID.matcher(html);
        while (item.find()) {
            received(Long.parseLong(item.group(1)));
        }
    }

    /** Reads the event stream on its own thread; each {@code chirp} event's {@code id:} counts. */
    private static final class Sse extends LiveClient {

        private final InputStream body;

        Sse(String name, InputStream body) {
            super(name);
            this.body = body;
            Thread reader = new Thread(this::read, name + "-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String id = null;
                String type = null;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.isEmpty()) {
                        if ("chirp".equals(type) && id != null) {
                            received(Long.parseLong(id));
                        }
                        id = null;
                        type = null;
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        type = line.substring(6).trim();
                    }
                }
            } catch (IOException e) {
                // Closed by the test.
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** Collects the chirps of every text frame, in the order of the frames and within each. */
    static final class Ws extends LiveClient implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        Ws(String name) {
            super(name);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                receivedItems(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        /** Sends a text frame, such as a chirp as JSON. */
        void send(String text) throws Exception {
            socket.sendText(text, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
