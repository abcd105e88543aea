package dev.chirp.transport.sse;

import dev.chirp.core.FeedObserver;
import dev.chirp.core.pubsub.Batch;
import dev.chirp.core.pubsub.Encoding;
import dev.chirp.core.pubsub.Lane;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * One open event stream. Everything about it happens on the connection's I/O thread: live
 * chirps arrive there from the thread's {@link Lane}, and other threads that close the stream
 * hand the work over. A round's chirps go out in one write straight from the bytes the lane
 * shares between its members; only what the socket does not take at once is queued. A client
 * that stops reading is disconnected once more than the limit is queued for it, or once a
 * write has been stuck for longer than the reap time.
 *
 * <p>One write in {@value #TIMED_EVERY} that carries live chirps reports, to the feed's
 * observer, how long the oldest of them waited since it was published: a sample of writes, not
 * every chirp, so that timing costs the I/O thread little.
 */
final class SseStream implements Lane.Member {

    /** One write in this many that carries live chirps has its delivery time reported. */
    static final int TIMED_EVERY = 16;

    private static final System.Logger LOG = System.getLogger(SseStream.class.getName());

    private final StreamSinkChannel sink;
    private final Closeable connection;
    private final XnioIoThread ioThread;
    private final Encoding<ByteBuffer> encoding;
    private final long maxQueuedBytes;
    private final FeedObserver observer;
    private Runnable onClose = () -> { };
    private volatile boolean closed;

    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    /** Live bytes waiting in the queue; the backlog and heartbeats do not count towards the limit. */
    private long queuedLiveBytes;
    private boolean writeScheduled;
    private ByteBuffer[] writing;
    private XnioExecutor.Key heartbeat;
    /** When the current write last made progress, in {@link System#nanoTime()} units. */
    private long stuckSince;
    /** Writes that carried live chirps so far. */
    private int liveWrites;

    SseStream(StreamSinkChannel sink, Closeable connection, Encoding<ByteBuffer> encoding, long maxQueuedBytes,
            FeedObserver observer) {
        this.sink = sink;
        this.connection = connection;
        this.ioThread = sink.getIoThread();
        this.encoding = encoding;
        this.maxQueuedBytes = maxQueuedBytes;
        this.observer = observer;
        sink.getWriteSetter().set(channel -> writeQueued());
        sink.getCloseSetter().set(channel -> close());
    }

    /** Sets what runs once, on the I/O thread, when the stream closes. */
    void whenClosed(Runnable onClose) {
        this.onClose = onClose;
    }

    /** Queues bytes that must not count towards the slow-reader limit, such as the backlog. */
    void queueUnbounded(ByteBuffer bytes) {
        if (closed) {
            return;
        }
        queue.add(bytes.duplicate());
        if (writing == null && !writeScheduled) {
            writeScheduled = true;
            ioThread.execute(this::writeQueued);
        }
    }

    @Override
    public void take(Batch batch, int from) {
        if (closed) {
            return;
        }
        ByteBuffer joined = batch.joined(encoding);
        int start = batch.start(encoding, from);
        if (writing == null && queue.isEmpty()) {
            joined.limit(joined.capacity()).position(start);
            try {
                sink.write(joined);
                if (joined.hasRemaining()) {
                    // The socket took part of it: keep the rest, since the shared bytes move on.
                    writing = new ByteBuffer[] {ByteBuffer.allocate(joined.remaining()).put(joined).flip()};
                    stuckSince = System.nanoTime();
                    sink.resumeWrites();
                } else if (!sink.flush()) {
                    sink.resumeWrites();
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "Event stream closed by the client: {0}", e.getMessage());
                close();
                return;
            }
        } else {
            if (queuedLiveBytes >= maxQueuedBytes) {
                LOG.log(System.Logger.Level.DEBUG, "Disconnecting an event stream that stopped reading");
                close();
                return;
            }
            ByteBuffer part = joined.duplicate();
            part.limit(part.capacity()).position(start);
            queue.add(part);
            queuedLiveBytes += part.remaining();
        }
        if (liveWrites++ % TIMED_EVERY == 0) {
            observer.delivered("sse", System.nanoTime() - batch.get(from).publishedAt());
        }
    }

    /**
     * Closes the stream as soon as the client hangs up, instead of at the next write, by
     * reading the connection: an event-stream client never sends anything after its request,
     * so anything it does send is dropped. Call on the I/O thread.
     */
    void closeOnHangUp(StreamSourceChannel source) {
        source.getReadSetter().set(channel -> {
            ByteBuffer discard = ByteBuffer.allocate(512);
            try {
                int read;
                while ((read = channel.read(discard)) > 0) {
                    discard.clear();
                }
                if (read < 0) {
                    close();
                }
            } catch (IOException e) {
                close();
            }
        });
        source.resumeReads();
    }

    /**
     * Sends a comment at this interval so that idle connections stay open, and at each beat
     * disconnects the client if a write has waited for it longer than {@code reapAfter}.
     * Call on the I/O thread.
     */
    void startHeartbeat(Duration interval, Duration reapAfter) {
        if (!closed) {
            heartbeat = ioThread.executeAtInterval(() -> beat(reapAfter), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void beat(Duration reapAfter) {
        if (writing != null && System.nanoTime() - stuckSince > reapAfter.toNanos()) {
            LOG.log(System.Logger.Level.DEBUG, "Disconnecting an event stream that has not read for {0}", reapAfter);
            close();
            return;
        }
        queueUnbounded(SseFormat.HEARTBEAT);
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Ends the stream now, from any thread: what is still queued for it is dropped, which a
     * client that resumes with its last event id gets back on reconnecting.
     */
    void close() {
        if (Thread.currentThread() != ioThread) {
            try {
                ioThread.execute(this::close);
                return;
            } catch (RejectedExecutionException e) {
                // The I/O thread is gone, so nothing else touches this stream any more.
            }
        }
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        writing = null;
        if (heartbeat != null) {
            heartbeat.remove();
        }
        closeQuietly(sink);
        closeQuietly(connection);
        onClose.run();
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Closing an event stream failed: {0}", e.getMessage());
        }
    }

    private void writeQueued() {
        writeScheduled = false;
        try {
            while (!closed) {
                if (writing == null) {
                    if (queue.isEmpty()) {
                        break;
                    }
                    writing = queue.toArray(new ByteBuffer[0]);
                    queue.clear();
                    queuedLiveBytes = 0;
                    stuckSince = System.nanoTime();
                }
                if (sink.write(writing) > 0) {
                    stuckSince = System.nanoTime();
                }
                if (writing[writing.length - 1].hasRemaining()) {
                    sink.resumeWrites();
                    return;
                }
                writing = null;
            }
            if (closed) {
                return;
            }
            if (sink.flush()) {
                sink.suspendWrites();
            } else {
                sink.resumeWrites();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Event stream closed by the client: {0}", e.getMessage());
            close();
        }
    }
}
