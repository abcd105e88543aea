package dev.chirp.transport.ws;

import dev.chirp.core.FeedObserver;
import dev.chirp.core.pubsub.Batch;
import dev.chirp.core.pubsub.Encoding;
import dev.chirp.core.pubsub.Lane;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.xnio.XnioExecutor;

/**
 * One open socket's outgoing side. Any thread may send; a client that stops reading is
 * disconnected once more than the limit waits for it.
 */
final class Socket implements Lane.Member {

    /** Going away for a restart: the page's WebSocket extension reconnects after it. */
    static final int SERVICE_RESTART = 1012;
    /** Overloaded for this client: the page reconnects after it and resumes. */
    static final int TRY_AGAIN_LATER = 1013;

    /** How long a close frame may wait to be written before the connection is dropped. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    /** One live send in this many, per socket, has its delivery time reported. */
    static final int TIMED_EVERY = 16;

    private static final System.Logger LOG = System.getLogger(Socket.class.getName());

    private final WebSocketChannel channel;
    private final Encoding<ByteBuffer> frames;
    private final long maxQueuedBytes;
    private final FeedObserver observer;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final WebSocketCallback<Void> sent;
    private volatile long lastHeard = System.nanoTime();
    /** Live sends so far; only the socket's lane sends live frames. */
    private int liveSends;

    Socket(WebSocketChannel channel, Encoding<ByteBuffer> frames, long maxQueuedBytes, FeedObserver observer) {
        this.channel = channel;
        this.frames = frames;
        this.maxQueuedBytes = maxQueuedBytes;
        this.observer = observer;
        this.sent = new WebSocketCallback<>() {
            @Override
            public void complete(WebSocketChannel channel, Void context) {
            }

            @Override
            public void onError(WebSocketChannel channel, Void context, Throwable error) {
                LOG.log(System.Logger.Level.DEBUG, "Sending to a socket failed: {0}", error.toString());
                close(CloseMessage.GOING_AWAY, "send failed");
            }
        };
    }

    /** Notes that the client sent something, a pong included: it is still there. */
    void heard() {
        lastHeard = System.nanoTime();
    }

    /**
     * Pings the client at this interval and closes the connection once the client has sent
     * nothing, not even a pong, for {@code reapAfter}. Browsers answer pings on their own.
     */
    void startHeartbeat(Duration interval, Duration reapAfter) {
        XnioExecutor.Key beat;
        try {
            beat = channel.getIoThread().executeAtInterval(() -> {
                if (System.nanoTime() - lastHeard > reapAfter.toNanos()) {
                    LOG.log(System.Logger.Level.DEBUG, "Closing a socket whose client went silent for {0}", reapAfter);
                    closeQuietly();
                } else {
                    WebSockets.sendPing(ByteBuffer.allocate(0), channel, null);
                }
            }, interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The server is stopping while this socket opens.
            closeQuietly();
            return;
        }
        channel.addCloseTask(closed -> beat.remove());
    }

    /**
     * Sends a round's new chirps in one frame, unless the client is too far behind, which
     * closes its socket. Runs on the socket's I/O thread.
     */
    @Override
    public void take(Batch batch, int from) {
        if (queuedBytes.get() >= maxQueuedBytes) {
            LOG.log(System.Logger.Level.DEBUG, "Disconnecting a socket that stopped reading");
            close(TRY_AGAIN_LATER, "too far behind; reconnect");
            return;
        }
        ByteBuffer frame = batch.joined(frames).duplicate();
        frame.limit(frame.capacity()).position(batch.start(frames, from));
        int size = frame.remaining();
        queuedBytes.addAndGet(size);
        WebSockets.sendText(frame, channel, new Release(size));
        // Sampled, so that timing costs the I/O thread little when it fans out to many sockets.
        if (liveSends++ % TIMED_EVERY == 0) {
            observer.delivered("ws", System.nanoTime() - batch.get(from).publishedAt());
        }
    }

    /** Sends a frame that must not count towards the slow-reader limit, such as the backlog. */
    void sendUnbounded(ByteBuffer frame) {
        WebSockets.sendText(frame.duplicate(), channel, sent);
    }

    void closeForRestart() {
        close(SERVICE_RESTART, "server restarting");
    }

    void close(int code, String reason) {
        // Two threads may close at once, such as a restart and a connect that races it.
        if (!closing.compareAndSet(false, true) || channel.isCloseFrameSent() || !channel.isOpen()) {
            return;
        }
        WebSockets.sendClose(code, reason, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel channel, Void context) {
                closeQuietly();
            }

            @Override
            public void onError(WebSocketChannel channel, Void context, Throwable error) {
                closeQuietly();
            }
        });
        // The close frame waits behind everything queued, so a client that stopped reading
        // never lets it out: drop the connection anyway once a grace period is over.
        channel.getIoThread().executeAfter(this::closeQuietly, CLOSE_GRACE.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Closing a socket failed: {0}", e.getMessage());
        }
    }

    /** Counts a live frame as no longer waiting once it is written or has failed. */
    private final class Release implements WebSocketCallback<Void> {

        private final int size;

        Release(int size) {
            this.size = size;
        }

        @Override
        public void complete(WebSocketChannel channel, Void context) {
            queuedBytes.addAndGet(-size);
        }

        @Override
        public void onError(WebSocketChannel channel, Void context, Throwable error) {
            queuedBytes.addAndGet(-size);
            sent.onError(channel, context, error);
        }
    }
}
