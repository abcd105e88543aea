package dev.chirp.transport.sse;

import dev.chirp.core.Chirp;
import dev.chirp.core.Feed;
import dev.chirp.core.pubsub.Encoding;
import dev.chirp.core.pubsub.Lane;
import dev.chirp.core.pubsub.Lanes;
import dev.chirp.core.store.Backlog;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioIoThread;

/**
 * {@code GET /stream}: subscribes, sends the backlog, then live chirps. The events carry the
 * rendered chirp, or with {@code ?format=json} the chirp as JSON; ids and resuming are the same.
 */
final class StreamRoute implements HttpHandler {

    private static final HttpString LAST_EVENT_ID = new HttpString("Last-Event-ID");
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final Feed feed;
    private final Encoding<ByteBuffer> events;
    private final Encoding<ByteBuffer> jsonEvents;
    private final Duration heartbeat;
    private final Duration reapAfter;
    private final long maxQueuedBytes;
    private final Set<SseStream> open = ConcurrentHashMap.newKeySet();
    private final Lanes lanes;

    StreamRoute(Feed feed, Duration heartbeat, Duration reapAfter, long maxQueuedBytes) {
        this.feed = feed;
        this.events = SseFormat.chirpEvents(feed.render(), feed.store().maxChirps());
        this.jsonEvents = SseFormat.chirpJsonEvents(feed.render(), feed.store().maxChirps());
        this.heartbeat = heartbeat;
        this.reapAfter = reapAfter;
        this.maxQueuedBytes = maxQueuedBytes;
        this.lanes = new Lanes(feed.pubSub(), thread -> (task, delayNanos) ->
                ((XnioIoThread) thread).executeAfter(task, delayNanos, TimeUnit.NANOSECONDS));
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Deque<String> format = exchange.getQueryParameters().get("format");
        String asked = format == null ? "html" : format.peekFirst();
        if (!asked.equals("html") && !asked.equals("json")) {
            exchange.setStatusCode(StatusCodes.BAD_REQUEST);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
            exchange.getResponseSender().send("The stream's format is html or json, not '"
                    + (asked.length() > 20 ? asked.substring(0, 20) + "..." : asked) + "'.\n");
            return;
        }
        Encoding<ByteBuffer> encoding = asked.equals("json") ? jsonEvents : events;
        if (!feed.connections().tryAcquire()) {
            exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
            exchange.getResponseHeaders()
                    .put(Headers.RETRY_AFTER, RETRY.toSeconds())
                    .put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
            exchange.getResponseSender().send(feed.connections().refusal() + "\n");
            return;
        }
        exchange.setStatusCode(200);
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "text/event-stream; charset=UTF-8")
                .put(Headers.CACHE_CONTROL, "no-cache")
                .put(new HttpString("X-Accel-Buffering"), "no");
        exchange.setPersistent(false);
        // The stream outlives this call: dispatching keeps Undertow from ending the exchange.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> open(exchange, encoding));
    }

    /** Closes every open stream; each is gone from the count at once and closes on its own thread. */
    void closeAll() {
        open.forEach(stream -> {
            open.remove(stream);
            stream.close();
        });
    }

    int openCount() {
        return open.size();
    }

    private void open(HttpServerExchange exchange, Encoding<ByteBuffer> encoding) {
        String lastEventId = exchange.getRequestHeaders().getFirst(LAST_EVENT_ID);
        if (lastEventId == null) {
            Deque<String> query = exchange.getQueryParameters().get("lastEventId");
            lastEventId = query == null ? null : query.peekFirst();
        }

        SseStream stream = new SseStream(exchange.getResponseChannel(), exchange.getConnection(), encoding,
                maxQueuedBytes, feed.observer());
        // The lane is subscribed before the feed is read, so nothing published after the
        // read can miss this stream.
        Lane lane = lanes.current();
        open.add(stream);
        Backlog backlog = Backlog.of(feed.store().chirps(), Backlog.parseId(lastEventId));
        stream.queueUnbounded(SseFormat.opening(RETRY, backlog.fullReplay()));
        for (Chirp chirp : backlog.chirps()) {
            stream.queueUnbounded(encoding.encode(chirp));
        }
        Lane.Seat seat = lane.join(stream, backlog.through());
        stream.whenClosed(() -> {
            seat.leave();
            open.remove(stream);
            feed.connections().release();
        });
        if (exchange.getConnection() instanceof AbstractServerConnection connection) {
            // The request has been read and the exchange is not persistent, so what the
            // connection receives from here on is not Undertow's to parse.
            stream.closeOnHangUp(connection.getChannel().getSourceChannel());
        }
        stream.startHeartbeat(heartbeat, reapAfter);
    }
}
