package dev.chirp.transport.ws;

import dev.chirp.core.Chirp;
import dev.chirp.core.Feed;
import dev.chirp.core.guard.ConnectionLimit;
import dev.chirp.core.guard.Guard;
import dev.chirp.core.identity.Identity;
import dev.chirp.core.pubsub.PubSub;
import dev.chirp.core.render.Render;
import dev.chirp.core.store.Timeline;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A plain Undertow on a free loopback port whose root handler is the WebSocket transport over
 * a fresh in-memory feed, the way an application that embeds only this transport runs it.
 * Requests the transport does not serve reach a fallback that names them.
 */
final class WsServer implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final BiFunction<Feed, HttpHandler, HttpHandler> NO_OTHER_ROUTES =
            (feed, fallback) -> fallback;

    private final Feed feed;
    private final WsHandler handler;
    private final Undertow undertow;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    private WsServer(Guard guard, ConnectionLimit connections,
            UnaryOperator<WsHandler.Builder> settings,
            BiFunction<Feed, HttpHandler, HttpHandler> next,
            Consumer<Undertow.Builder> serverSettings) {
        PubSub pubSub = PubSub.inProcess();
        Timeline timeline = Timeline.builder().pubSub(pubSub).build();
        this.feed = new Feed(timeline, pubSub, guard, Identity.create(), Render.create(),
                connections);
        this.handler = settings.apply(WsHandler.builder(feed)).build(next.apply(feed, fallback()));

        Undertow.Builder builder = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setServerOption(UndertowOptions.ENABLE_STATISTICS, true)
                .setIoThreads(2)
                .setHandler(handler);
        serverSettings.accept(builder);
        this.undertow = builder.build();
        undertow.start();
        this.port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** Starts a server with the handler's defaults. */
    static WsServer start(Guard guard) {
        return new WsServer(guard, ConnectionLimit.unlimited(), builder -> builder, NO_OTHER_ROUTES,
                builder -> { });
    }

    /** Starts a server with changed handler settings. */
    static WsServer start(Guard guard, UnaryOperator<WsHandler.Builder> settings) {
        return new WsServer(guard, ConnectionLimit.unlimited(), settings, NO_OTHER_ROUTES,
                builder -> { });
    }

    /** Starts a server with the handler's defaults whose feed limits live connections. */
    static WsServer start(Guard guard, ConnectionLimit connections) {
        return new WsServer(guard, connections, builder -> builder, NO_OTHER_ROUTES,
                builder -> { });
    }

    /**
     * Starts a server whose feed limits live connections, with another handler between the
     * socket and the fallback, as an application that also mounts the SSE transport has.
     *
     * @param next makes that handler from the feed and the fallback
     */
    static WsServer start(Guard guard, ConnectionLimit connections,
            BiFunction<Feed, HttpHandler, HttpHandler> next) {
        return new WsServer(guard, connections, builder -> builder, next, builder -> { });
    }

    /** Starts a server with changed handler and Undertow settings. */
    static WsServer start(Guard guard, UnaryOperator<WsHandler.Builder> settings,
            Consumer<Undertow.Builder> serverSettings) {
        return new WsServer(guard, ConnectionLimit.unlimited(), settings, NO_OTHER_ROUTES,
                serverSettings);
    }

    /** What the fallback answers, so a test can tell that a request reached it. */
    static String fallbackBody(String method, String path) {
        return "fallback saw " + method + " " + path;
    }

    Feed feed() {
        return feed;
    }

    WsHandler handler() {
        return handler;
    }

    int port() {
        return port;
    }

    /** Returns the {@code Cookie} header value of a visitor this server gave the handle. */
    String signedCookie(String handle) {
        return "handle=" + feed.identity().cookieValueFor(handle);
    }

    /** The value a browser on this server's own page sends as {@code Origin}. */
    String ownOrigin() {
        return "http://127.0.0.1:" + port;
    }

    URI http(String target) {
        return URI.create("http://127.0.0.1:" + port + target);
    }

    URI ws(String target) {
        return URI.create("ws://127.0.0.1:" + port + target);
    }

    /**
     * Opens a WebSocket.
     *
     * @param target the path and query
     * @param headers extra handshake header names and values, alternating
     */
    WsClient connect(String target, String... headers) throws Exception {
        return WsClient.connect(http, ws(target), headers);
    }

    /** Sends a plain HTTP request. */
    HttpResponse<String> send(HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Adds a chirp straight to the timeline, as another part of the application would. */
    Chirp store(String handle, String text)
            throws InterruptedException, ExecutionException, TimeoutException {
        return feed.store().post(handle, text).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Returns how many requests, handshakes included, the server has begun to handle. */
    long requestsStarted() {
        return undertow.getListenerInfo().get(0).getConnectorStatistics().getRequestCount();
    }

    /**
     * Waits for the transport to count this many open sockets; a socket leaves its lane, and
     * so stops getting chirps, in the same step that takes it off the count.
     */
    boolean awaitOpenSockets(int expected) throws InterruptedException {
        return Poll.until(() -> handler.openSockets() == expected, TIMEOUT);
    }

    /**
     * Waits for the feed to count this many open connections, polling because the count has
     * no event to wait on; returns whether it got there within the timeout.
     */
    boolean awaitOpenConnections(int expected) throws InterruptedException {
        return Poll.until(() -> feed.connections().open() == expected, TIMEOUT);
    }

    @Override
    public void close() {
        undertow.stop();
        feed.store().close();
    }

    private static HttpHandler fallback() {
        return exchange -> {
            exchange.setStatusCode(200);
            exchange.getResponseSender().send(fallbackBody(exchange.getRequestMethod().toString(),
                    exchange.getRequestPath()));
        };
    }
}
