package dev.chirp.transport.ws;

import dev.chirp.core.Durations;
import dev.chirp.core.Feed;
import dev.chirp.core.guard.Caller;
import dev.chirp.core.identity.Identity;
import dev.chirp.core.store.Backlog;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import java.time.Duration;
import java.util.Deque;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Serves the WebSocket on {@code /socket} and passes every other request to the next handler.
 *
 * <p>On connect the client gets the backlog: one fragment that replaces the page's feed, or,
 * when {@code ?since=ID} names a chirp the feed still holds, only the chirps after it. Then
 * every new chirp arrives as {@code <div hx-swap-oob="afterbegin:#feed">ITEM</div>}. A text
 * frame {@code {"chirp": "..."}} posts a chirp under the identity cookie's handle (other keys
 * are ignored); a rejected one gets an error fragment back and the socket stays open. Frames
 * over the size limit close the socket with code 1009. Handshakes from another site's page
 * get 403.
 *
 * <p>Thread-safe; create it with {@link #builder(Feed)}.
 */
public final class WsHandler implements HttpHandler {

    static final AttachmentKey<Visit> VISIT = AttachmentKey.create(Visit.class);
    private static final HttpString SEC_FETCH_SITE = new HttpString("Sec-Fetch-Site");
    private static final HttpString X_FORWARDED_FOR = new HttpString("X-Forwarded-For");
    private static final HttpString X_FORWARDED_PROTO = new HttpString("X-Forwarded-Proto");

    private final Feed feed;
    private final String path;
    private final HttpHandler next;
    private final Sockets sockets;
    private final WebSocketProtocolHandshakeHandler handshake;

    private WsHandler(Builder builder, HttpHandler next) {
        this.feed = builder.feed;
        this.path = builder.path;
        this.next = next;
        this.sockets = new Sockets(builder.feed, builder.maxFrameBytes, builder.maxQueuedBytes,
                builder.heartbeat, builder.reapAfter);
        this.handshake = new WebSocketProtocolHandshakeHandler(sockets, exchange -> {
            feed.connections().release();
            sockets.handshakeEnded();
            exchange.setStatusCode(StatusCodes.BAD_REQUEST);
            exchange.getResponseSender().send("This address takes WebSocket connections only.\n");
        });
    }

    /**
     * Returns a builder with the defaults: {@code /socket}, frames up to 64 KiB, 256 KiB
     * queued per slow client before it is disconnected, a ping every 15 seconds and a silent
     * client dropped after 60. Sockets count against the feed's {@code connections} limit;
     * beyond it a handshake gets 503.
     *
     * @param feed the feed to serve
     * @return a new builder
     */
    public static Builder builder(Feed feed) {
        return new Builder(feed);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!exchange.getRelativePath().equals(path)) {
            next.handleRequest(exchange);
            return;
        }
        HeaderValues forwardedFor = exchange.getRequestHeaders().get(X_FORWARDED_FOR);
        Caller caller = feed.guard().proxies().caller(exchange.getSourceAddress().getAddress(),
                exchange.getRequestScheme(),
                forwardedFor == null ? null : String.join(",", forwardedFor),
                exchange.getRequestHeaders().getFirst(X_FORWARDED_PROTO));
        if (!feed.guard().origins().isAllowed(exchange.getRequestHeaders().getFirst(Headers.ORIGIN),
                exchange.getRequestHeaders().getFirst(Headers.HOST), caller.https(),
                exchange.getRequestHeaders().getFirst(SEC_FETCH_SITE))) {
            exchange.setStatusCode(StatusCodes.FORBIDDEN);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
            exchange.getResponseSender().send("WebSocket connections are only accepted from this site's own page.\n");
            return;
        }

        if (!feed.connections().tryAcquire()) {
            exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
            exchange.getResponseHeaders()
                    .put(Headers.RETRY_AFTER, 2)
                    .put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
            exchange.getResponseSender().send(feed.connections().refusal() + "\n");
            return;
        }

        // Read from the raw header: Undertow's own parsing fails the request on a foreign
        // cookie it cannot parse.
        Identity.Visitor visitor = feed.identity().resolve(
                Identity.cookieValue(exchange.getRequestHeaders().eachValue(Headers.COOKIE)), caller.https());
        visitor.setCookie().ifPresent(header -> exchange.getResponseHeaders().add(Headers.SET_COOKIE, header));
        Deque<String> since = exchange.getQueryParameters().get("since");
        exchange.putAttachment(VISIT, new Visit(visitor.handle(),
                caller.rateKey(),
                Backlog.parseId(since == null ? null : since.peekFirst()), sockets.closeRound()));

        sockets.handshakeBegan();
        handshake.handleRequest(exchange);
    }

    /**
     * Closes every socket with code 1012 (service restart), after which pages reconnect. So
     * is a socket whose handshake began before this call but completes after it.
     */
    public void closeSockets() {
        sockets.closeAll();
    }

    /**
     * Waits until every socket has closed. After {@link #closeSockets()} each one closes once
     * its close frame is written, or after a grace period of 2 seconds if its client stopped
     * reading; stopping the server before then may cut the close frame off, and the client
     * sees an abnormal closure (1006) instead of 1012.
     *
     * @param timeout the longest wait
     * @return whether every socket closed in time
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitSocketsClosed(Duration timeout) throws InterruptedException {
        return sockets.awaitAllClosed(Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Returns how many sockets are open.
     *
     * @return the number of connected clients
     */
    public int openSockets() {
        return sockets.openCount();
    }

    /**
     * Who connected: the handle they post under, the rate-limit key, their resume point, and
     * how many times the sockets had been closed when the handshake began.
     */
    record Visit(String handle, String clientKey, OptionalLong since, long closeRound) {
    }

    /** Settings for a {@link WsHandler}; each setter checks its argument at once. */
    public static final class Builder {

        private final Feed feed;
        private String path = "/socket";
        private int maxFrameBytes = 64 * 1024;
        private long maxQueuedBytes = 256 * 1024;
        private Duration heartbeat = Duration.ofSeconds(15);
        private Duration reapAfter = Duration.ofSeconds(60);

        private Builder(Feed feed) {
            this.feed = Objects.requireNonNull(feed, "feed");
        }

        /**
         * Sets the WebSocket's path. Default {@code /socket}.
         *
         * @param path an absolute path
         * @return this builder
         */
        public Builder path(String path) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with '/', got '" + path + "'");
            }
            this.path = path;
            return this;
        }

        /**
         * Sets the largest text frame a client may send; a larger one closes the socket with
         * code 1009. Default 64 KiB.
         *
         * @param bytes at least 1024
         * @return this builder
         */
        public Builder maxFrameBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("max frame bytes must be at least 1024, got " + bytes);
            }
            this.maxFrameBytes = bytes;
            return this;
        }

        /**
         * Sets how many bytes may wait for a client that does not read before it is
         * disconnected. Default 256 KiB.
         *
         * @param bytes at least 1024
         * @return this builder
         */
        public Builder maxQueuedBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("max queued bytes must be at least 1024, got " + bytes);
            }
            this.maxQueuedBytes = bytes;
            return this;
        }

        /**
         * Sets how often each socket is pinged. Default 15 seconds.
         *
         * @param heartbeat a positive duration
         * @return this builder
         */
        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = Durations.requirePositive(heartbeat, "heartbeat");
            return this;
        }

        /**
         * Sets how long a client may stay silent, not even answering pings, before its socket
         * is closed. Default 60 seconds.
         *
         * @param reapAfter a positive duration
         * @return this builder
         */
        public Builder reapAfter(Duration reapAfter) {
            this.reapAfter = Durations.requirePositive(reapAfter, "reap time");
            return this;
        }

        /**
         * Builds the handler.
         *
         * @param next the handler for every other request
         * @return the handler
         */
        public WsHandler build(HttpHandler next) {
            return new WsHandler(this, Objects.requireNonNull(next, "next"));
        }
    }
}
