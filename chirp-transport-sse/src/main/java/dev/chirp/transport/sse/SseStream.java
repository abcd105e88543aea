package dev.chirp.transport.sse;

import dev.chirp.core.FeedObserver;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;

/**
 * One open event stream. Any thread may queue bytes; only the connection's I/O thread writes
 * them, in gathering writes that take everything queued so far at once. A client that stops
 * reading is disconnected once more than the limit is queued for it, or once a write has been
 * stuck for longer than the reap time.
 *
 * <p>One write in {@value #TIMED_EVERY} that carries live chirps reports, to the feed's
 * observer, how long the oldest of them waited since it was published: a sample of writes, not
 * every chirp, so that timing costs the I/O thread little.
 */
final class SseStream {

    /** One write in this many that carries live chirps has its delivery time reported. */
    static final int TIMED_EVERY = 16;

    private static final System.Logger LOG = System.getLogger(SseStream.class.getName());

    private final StreamSinkChannel sink;
    private final Closeable connection;
    private final XnioIoThread ioThread;
    private final long maxQueuedBytes;
    private final FeedObserver observer;
    private volatile Runnable onClose = () -> { };

    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    /** Live bytes waiting; the backlog and heartbeats do not count towards the limit. */
    private long queuedLiveBytes;
    private boolean writeScheduled;
    private boolean closed;
    /** Whether the queue holds a live chirp, and when the oldest such was published. */
    private boolean liveQueued;
    private long oldestLivePublishedAt;

    /** Touched only on the I/O thread. */
    private ByteBuffer[] writing;
    private XnioExecutor.Key heartbeat;
    /** When the current write last made progress, in {@link System#nanoTime()} units. */
    private long stuckSince;
    /** Writes that carried live chirps so far. */
    private int liveWrites;

    SseStream(StreamSinkChannel sink, Closeable connection, long maxQueuedBytes, FeedObserver observer) {
        this.sink = sink;
        this.connection = connection;
        this.ioThread = sink.getIoThread();
        this.maxQueuedBytes = maxQueuedBytes;
        this.observer = observer;
        sink.getWriteSetter().set(channel -> writeQueued());
        sink.getCloseSetter().set(channel -> close());
    }

    /** Sets what runs once when the stream closes; set it before queueing anything. */
    void whenClosed(Runnable onClose) {
        this.onClose = onClose;
    }

    /** Queues bytes that must not count towards the slow-reader limit, such as the backlog. */
    void queueUnbounded(ByteBuffer bytes) {
        queue(bytes, false, 0);
    }

    /**
     * Queues a live chirp published at {@code publishedAt} ({@link System#nanoTime()});
     * disconnects the client if too much is already waiting for it.
     */
    void queue(ByteBuffer bytes, long publishedAt) {
        queue(bytes, true, publishedAt);
    }

    /**
     * Sends a comment at this interval so that idle connections stay open, and at each beat
     * disconnects the client if a write has waited for it longer than {@code reapAfter}.
     */
    void startHeartbeat(Duration interval, Duration reapAfter) {
        ioThread.execute(() -> {
            if (!isClosed()) {
                heartbeat = ioThread.executeAtInterval(() -> beat(reapAfter),
                        interval.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    private void beat(Duration reapAfter) {
        if (writing != null && System.nanoTime() - stuckSince > reapAfter.toNanos()) {
            LOG.log(System.Logger.Level.DEBUG, "Disconnecting an event stream that has not read for {0}", reapAfter);
            close();
            return;
        }
        queueUnbounded(SseFormat.HEARTBEAT);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Ends the stream now: what is still queued for it is dropped, which a client that resumes
     * with its last event id gets back on reconnecting.
     */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
        }
        ioThread.execute(() -> {
            if (heartbeat != null) {
                heartbeat.remove();
            }
            closeQuietly(sink);
            closeQuietly(connection);
        });
        onClose.run();
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Closing an event stream failed: {0}", e.getMessage());
        }
    }

    private void queue(ByteBuffer bytes, boolean bounded, long publishedAt) {
        boolean overflow = false;
        boolean schedule = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (bounded && queuedLiveBytes >= maxQueuedBytes) {
                overflow = true;
            } else {
                queue.add(bytes.duplicate());
                if (bounded) {
                    queuedLiveBytes += bytes.remaining();
                    if (!liveQueued) {
                        liveQueued = true;
                        oldestLivePublishedAt = publishedAt;
                    }
                }
                schedule = !writeScheduled;
                writeScheduled = true;
            }
        }
        if (overflow) {
            LOG.log(System.Logger.Level.DEBUG, "Disconnecting an event stream that stopped reading");
            close();
        } else if (schedule) {
            ioThread.execute(this::writeQueued);
        }
    }

    private void writeQueued() {
        try {
            while (true) {
                if (writing == null) {
                    boolean live;
                    long publishedAt;
                    synchronized (this) {
                        if (queue.isEmpty() || closed) {
                            writeScheduled = false;
                            break;
                        }
                        writing = queue.toArray(new ByteBuffer[0]);
                        stuckSince = System.nanoTime();
                        queue.clear();
                        queuedLiveBytes = 0;
                        live = liveQueued;
                        publishedAt = oldestLivePublishedAt;
                        liveQueued = false;
                    }
                    if (live && liveWrites++ % TIMED_EVERY == 0) {
                        observer.delivered("sse", stuckSince - publishedAt);
                    }
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
