package dev.chirp.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client of {@code /socket} that collects the text frames it receives. Tests wait for
 * frames with a timeout and can count everything received so far.
 */
final class WsClient implements AutoCloseable {

    private final WebSocket socket;
    private final Frames frames;

    private WsClient(WebSocket socket, Frames frames) {
        this.socket = socket;
        this.frames = frames;
    }

    /** Opens a socket, or fails with the handshake's answer if the server refuses it. */
    static WsClient open(HttpClient http, URI uri, String origin, Optional<String> cookie)
            throws InterruptedException {
        Frames frames = new Frames();
        WebSocket.Builder builder = http.newWebSocketBuilder()
                .connectTimeout(Visitor.TIMEOUT)
                .header("Origin", origin);
        cookie.ifPresent(value -> builder.header("Cookie", value));
        try {
            WebSocket socket = builder.buildAsync(uri, frames)
                    .get(Visitor.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new WsClient(socket, frames);
        } catch (ExecutionException e) {
            throw new AssertionError("the WebSocket handshake failed: " + handshakeAnswer(e), e);
        } catch (TimeoutException e) {
            throw new AssertionError("no WebSocket handshake within " + Visitor.TIMEOUT, e);
        }
    }

    /**
     * Tries a handshake that is expected to fail and returns the HTTP status it got.
     *
     * @throws AssertionError if the server accepted it
     */
    static int refusedHandshakeStatus(HttpClient http, URI uri, String origin) throws Exception {
        CompletableFuture<WebSocket> handshake = http.newWebSocketBuilder()
                .connectTimeout(Visitor.TIMEOUT)
                .header("Origin", origin)
                .buildAsync(uri, new Frames());
        try {
            WebSocket accepted = handshake.get(Visitor.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            accepted.abort();
            throw new AssertionError("the server accepted a socket on " + uri + " from " + origin);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    /** Sends one text frame and waits until it is handed to the connection. */
    void send(String text) throws Exception {
        socket.sendText(text, true).get(Visitor.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Returns the first frame still to come that contains the fragment, or fails. */
    String awaitFrame(String fragment, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String frame = left <= 0 ? null : frames.arrived.poll(left, TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new AssertionError("no frame containing '" + fragment + "' within " + timeout
                        + "; received so far: " + frames.received + frames.closed());
            }
            if (frame.contains(fragment)) {
                return frame;
            }
        }
    }

    /**
     * Returns the status code of the close frame the server sends, or fails if the connection
     * breaks off instead or nothing comes within the timeout.
     */
    int awaitCloseCode(Duration timeout) throws InterruptedException {
        try {
            return frames.closeCode.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the socket broke off without a close frame: "
                    + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new AssertionError("the server did not close the socket within " + timeout
                    + "; received so far: " + frames.received, e);
        }
    }

    /** Returns how many times the fragment occurs in all frames received so far. */
    long occurrences(String fragment) {
        long count = 0;
        for (String frame : frames.received) {
            for (int at = frame.indexOf(fragment); at >= 0; at = frame.indexOf(fragment, at + 1)) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void close() {
        socket.abort();
    }

    private static String handshakeAnswer(ExecutionException e) {
        if (e.getCause() instanceof WebSocketHandshakeException refused) {
            return refused.getResponse().statusCode() + " " + refused.getResponse().body();
        }
        return String.valueOf(e.getCause());
    }

    /** Receives frames on the client's thread, joining the parts of a fragmented message. */
    private static final class Frames implements WebSocket.Listener {

        private final BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
        private final List<String> received = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private volatile String closedWith = "";

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                received.add(frame);
                arrived.add(frame);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedWith = "; closed by the server with " + statusCode + " " + reason;
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closedWith = "; failed with " + error;
            closeCode.completeExceptionally(error);
        }

        String closed() {
            return closedWith;
        }
    }
}
