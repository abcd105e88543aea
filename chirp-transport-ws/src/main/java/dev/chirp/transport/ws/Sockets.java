package dev.chirp.transport.ws;

import dev.chirp.core.Chirp;
import dev.chirp.core.Feed;
import dev.chirp.core.pubsub.Encoding;
import dev.chirp.core.pubsub.Lane;
import dev.chirp.core.pubsub.Lanes;
import dev.chirp.core.store.Backlog;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.xnio.XnioIoThread;

/** Accepts sockets: subscribes each, sends its backlog, and listens for its chirps. */
final class Sockets implements WebSocketConnectionCallback {

    private final Feed feed;
    private final int maxFrameBytes;
    private final long maxQueuedBytes;
    private final Duration heartbeat;
    private final Duration reapAfter;
    private final Encoding<ByteBuffer> frames;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Lanes lanes;
    /** How many times closeAll() ran; a handshake notes it when it begins. */
    private final AtomicLong closeRounds = new AtomicLong();
    /** Handshakes begun but not yet connected or refused; guarded by {@code open}. */
    private int handshakes;

    Sockets(Feed feed, int maxFrameBytes, long maxQueuedBytes, Duration heartbeat, Duration reapAfter) {
        this.feed = feed;
        this.heartbeat = heartbeat;
        this.reapAfter = reapAfter;
        this.maxFrameBytes = maxFrameBytes;
        this.maxQueuedBytes = maxQueuedBytes;
        this.frames = Encoding.of("ws-oob", feed.store().maxChirps(),
                chirp -> utf8(feed.render().outOfBandItem(chirp)));
        this.lanes = new Lanes(feed.pubSub(), thread -> (task, delayNanos) ->
                ((XnioIoThread) thread).executeAfter(task, delayNanos, TimeUnit.NANOSECONDS));
    }

    @Override
    public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        if (!channel.isOpen()) {
            // The client left while its handshake was answered. The connection closed before
            // this channel was made, so close tasks added to it would never run.
            feed.connections().release();
            handshakeEnded();
            return;
        }
        WsHandler.Visit visit = exchange.getAttachment(WsHandler.VISIT);
        Socket socket = new Socket(channel, frames, maxQueuedBytes, feed.observer());
        // The lane is subscribed before the feed is read, so nothing published after the
        // read can miss this socket.
        Lane lane = lanes.current();
        open.add(socket);
        handshakeEnded();

        Backlog backlog = Backlog.of(feed.store().chirps(), visit.since());
        if (backlog.fullReplay()) {
            List<Chirp> newestFirst = new ArrayList<>(backlog.chirps());
            Collections.reverse(newestFirst);
            socket.sendUnbounded(utf8(feed.render().feedReplacement(newestFirst)));
        } else if (!backlog.chirps().isEmpty()) {
            socket.sendUnbounded(joined(backlog.chirps()));
        }
        Lane.Seat seat = lane.join(socket, backlog.through());
        channel.addCloseTask(closed -> {
            seat.leave();
            forget(socket);
            feed.connections().release();
        });

        channel.getReceiveSetter().set(new ChirpReceiver(feed, socket, visit, maxFrameBytes));
        channel.resumeReceives();
        socket.startHeartbeat(heartbeat, reapAfter);
        // Undertow runs this after the client has its 101, so a handshake that began before
        // closeAll() may only get here after it, and would otherwise miss its close frame.
        if (visit.closeRound() != closeRounds.get()) {
            socket.closeForRestart();
        }
    }

    /** Counts a handshake that has begun; {@link #awaitAllClosed} waits for it to connect too. */
    void handshakeBegan() {
        synchronized (open) {
            handshakes++;
        }
    }

    /** Counts a handshake as over, whether it connected or not. */
    void handshakeEnded() {
        synchronized (open) {
            handshakes--;
            open.notifyAll();
        }
    }

    /** Returns a number that changes each time {@link #closeAll()} runs. */
    long closeRound() {
        return closeRounds.get();
    }

    void closeAll() {
        closeRounds.incrementAndGet();
        open.forEach(Socket::closeForRestart);
    }

    int openCount() {
        return open.size();
    }

    /**
     * Waits until no socket is open and no handshake is under way, or the timeout is over;
     * returns whether none is.
     */
    boolean awaitAllClosed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (open) {
            while (!open.isEmpty() || handshakes > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(open, left);
            }
            return true;
        }
    }

    private void forget(Socket socket) {
        synchronized (open) {
            open.remove(socket);
            open.notifyAll();
        }
    }

    private ByteBuffer joined(List<Chirp> oldestFirst) {
        int size = 0;
        List<ByteBuffer> parts = new ArrayList<>(oldestFirst.size());
        for (Chirp chirp : oldestFirst) {
            ByteBuffer part = frames.encode(chirp).duplicate();
            size += part.remaining();
            parts.add(part);
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        parts.forEach(all::put);
        return all.flip().asReadOnlyBuffer();
    }

    static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }
}
