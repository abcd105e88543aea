package dev.chirp.transport.sse;

import dev.chirp.core.Durations;
import dev.chirp.core.Feed;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.time.Duration;
import java.util.Objects;

/**
 * Serves approach 1 and passes every other request to the next handler:
 * {@code POST /chirps} takes a form field {@code chirp}, and {@code GET /stream} is the
 * Server-Sent Event stream of the feed.
 *
 * <p>The stream starts with the backlog, oldest first, then carries live chirps. A client
 * that sends {@code Last-Event-ID} (or {@code ?lastEventId=}) naming a chirp the feed still
 * holds gets only the chirps after it; otherwise it first gets a {@code reset} event and
 * then the whole feed. A comment line goes out at the heartbeat interval. With
 * {@code ?format=json} each chirp event's data is the chirp as JSON
 * ({@code {"id", "handle", "text", "at"}}) instead of its rendered HTML, for scripts and the
 * terminal client; nothing else changes.
 *
 * <p>Thread-safe; create it with {@link #builder(Feed)}.
 */
public final class SseHandler implements HttpHandler {

    private final StreamRoute stream;
    private final PostRoute post;
    private final String streamPath;
    private final String postPath;
    private final HttpHandler next;

    private SseHandler(Builder builder, HttpHandler next) {
        this.stream = new StreamRoute(builder.feed, builder.heartbeat, builder.reapAfter, builder.maxQueuedBytes);
        this.post = new PostRoute(builder.feed);
        this.streamPath = builder.streamPath;
        this.postPath = builder.postPath;
        this.next = next;
    }

    /**
     * Returns a builder with the defaults: {@code /stream}, {@code /chirps}, a heartbeat every
     * 15 seconds, and 256 KiB queued or 60 seconds without reading before a slow client is
     * disconnected. Streams count against the feed's {@code connections} limit; beyond it a
     * client gets 503.
     *
     * @param feed the feed to serve
     * @return a new builder
     */
    public static Builder builder(Feed feed) {
        return new Builder(feed);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRelativePath();
        if (path.equals(streamPath) && exchange.getRequestMethod().equals(Methods.GET)) {
            stream.handleRequest(exchange);
        } else if (path.equals(postPath) && exchange.getRequestMethod().equals(Methods.POST)) {
            post.handleRequest(exchange);
        } else {
            next.handleRequest(exchange);
        }
    }

    /**
     * Closes every open stream. Clients reconnect on their own, as the stream's
     * {@code retry:} line tells them.
     */
    public void closeStreams() {
        stream.closeAll();
    }

    /**
     * Returns how many event streams are open.
     *
     * @return the number of connected clients
     */
    public int openStreams() {
        return stream.openCount();
    }

    /** Settings for an {@link SseHandler}; each setter checks its argument at once. */
    public static final class Builder {

        private final Feed feed;
        private String streamPath = "/stream";
        private String postPath = "/chirps";
        private Duration heartbeat = Duration.ofSeconds(15);
        private Duration reapAfter = Duration.ofSeconds(60);
        private long maxQueuedBytes = 256 * 1024;

        private Builder(Feed feed) {
            this.feed = Objects.requireNonNull(feed, "feed");
        }

        /**
         * Sets the path of the event stream. Default {@code /stream}.
         *
         * @param path an absolute path
         * @return this builder
         */
        public Builder streamPath(String path) {
            this.streamPath = checkPath(path);
            return this;
        }

        /**
         * Sets the path that takes posted chirps. Default {@code /chirps}.
         *
         * @param path an absolute path
         * @return this builder
         */
        public Builder postPath(String path) {
            this.postPath = checkPath(path);
            return this;
        }

        /**
         * Sets how often an idle stream gets a comment line. Default 15 seconds.
         *
         * @param heartbeat a positive duration
         * @return this builder
         */
        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = Durations.requirePositive(heartbeat, "heartbeat");
            return this;
        }

        /**
         * Sets how long a write may wait for a client that does not read before the client is
         * disconnected; checked at every heartbeat. Default 60 seconds.
         *
         * @param reapAfter a positive duration
         * @return this builder
         */
        public Builder reapAfter(Duration reapAfter) {
            this.reapAfter = Durations.requirePositive(reapAfter, "reap time");
            return this;
        }

        /**
         * Sets how many bytes of live chirps may wait for a client that does not read before it
         * is disconnected. Default 256 KiB.
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
         * Builds the handler.
         *
         * @param next the handler for every other request
         * @return the handler
         */
        public SseHandler build(HttpHandler next) {
            return new SseHandler(this, Objects.requireNonNull(next, "next"));
        }

        private static String checkPath(String path) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with '/', got '" + path + "'");
            }
            return path;
        }
    }
}
