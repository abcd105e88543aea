package dev.chirp.transport.ws;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket client on the JDK's HTTP client that queues each whole text frame it receives,
 * so a test takes them in order with a timeout instead of sleeping.
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closing> closing = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final AtomicInteger pings = new AtomicInteger();
    private WebSocket socket;

    private WsClient() {
    }

    /**
     * Completes the opening handshake.
     *
     * @param headers extra header names and values, alternating
     */
    static WsClient connect(HttpClient http, URI uri, String... headers) throws Exception {
        WsClient client = new WsClient();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(WsServer.TIMEOUT);
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        client.socket = builder.buildAsync(uri, client)
                .get(WsServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return client;
    }

    /** Takes the next whole text frame, failing if none arrives in time. */
    String nextFrame() throws InterruptedException {
        String frame = frames.poll(WsServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("no frame arrived within " + WsServer.TIMEOUT);
        }
        return frame;
    }

    void sendText(String text) throws Exception {
        socket.sendText(text, true).get(WsServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    void sendBinary(byte[] bytes) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), true)
                .get(WsServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for the server's close frame. */
    Closing awaitClosing() throws Exception {
        return closing.get(WsServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits up to {@code wait} for the server's close frame; empty if the socket is still open
     * by then.
     */
    Optional<Closing> closingWithin(Duration wait) throws Exception {
        try {
            return Optional.of(closing.get(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException stillOpen) {
            return Optional.empty();
        }
    }

    /** Returns how many pings the server has sent; the JDK client answers each with a pong. */
    int pings() {
        return pings.get();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        frames.add("unexpected binary frame of " + data.remaining() + " bytes");
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pings.incrementAndGet();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closing.complete(new Closing(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closing.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "");
        }
        socket.abort();
    }

    /**
     * The server's close frame.
     *
     * @param code the status code
     * @param reason the reason text
     */
    record Closing(int code, String reason) {
    }
}
