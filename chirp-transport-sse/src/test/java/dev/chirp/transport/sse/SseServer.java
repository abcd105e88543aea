package dev.chirp.transport.sse;

import dev.chirp.core.Chirp;
import dev.chirp.core.Feed;
import dev.chirp.core.guard.ConnectionLimit;
import dev.chirp.core.guard.Guard;
import dev.chirp.core.identity.Identity;
import dev.chirp.core.pubsub.PubSub;
import dev.chirp.core.render.Render;
import dev.chirp.core.store.Timeline;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A plain Undertow on a free loopback port whose root handler is the SSE transport over a
 * fresh in-memory feed, the way an application that embeds only this transport runs it.
 * Requests the transport does not serve reach a fallback that names them.
 */
final class SseServer implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final String FORM = "application/x-www-form-urlencoded";

    private final Feed feed;
    private final SseHandler handler;
    private final Undertow undertow;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    private SseServer(Guard guard, ConnectionLimit connections,
            UnaryOperator<SseHandler.Builder> settings, Consumer<Undertow.Builder> serverSettings) {
        PubSub pubSub = PubSub.inProcess();
        Timeline timeline = Timeline.builder().pubSub(pubSub).build();
        this.feed = new Feed(timeline, pubSub, guard, Identity.create(), Render.create(),
                connections);
        this.handler = settings.apply(SseHandler.builder(feed)).build(fallback());

        Undertow.Builder builder = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(2)
                .setHandler(handler);
        serverSettings.accept(builder);
        this.undertow = builder.build();
        undertow.start();
        this.port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** Starts a server with the handler's defaults. */
    static SseServer start(Guard guard) {
        return new SseServer(guard, ConnectionLimit.unlimited(), builder -> builder,
                builder -> { });
    }

    /** Starts a server with changed handler or Undertow settings. */
    static SseServer start(Guard guard, UnaryOperator<SseHandler.Builder> settings,
            Consumer<Undertow.Builder> serverSettings) {
        return new SseServer(guard, ConnectionLimit.unlimited(), settings, serverSettings);
    }

    /** Starts a server with changed handler settings whose feed limits live connections. */
    static SseServer start(Guard guard, ConnectionLimit connections,
            UnaryOperator<SseHandler.Builder> settings) {
        return new SseServer(guard, connections, settings, builder -> { });
    }

    /** What the fallback answers, so a test can tell that a request reached it. */
    static String fallbackBody(String method, String path) {
        return "fallback saw " + method + " " + path;
    }

    Feed feed() {
        return feed;
    }

    SseHandler handler() {
        return handler;
    }

    int port() {
        return port;
    }

    /** Returns the address of a path, with query if any, on this server. */
    URI uri(String target) {
        return URI.create("http://127.0.0.1:" + port + target);
    }

    /** Returns the {@code Cookie} header value of a visitor this server gave the handle. */
    String signedCookie(String handle) {
        return "handle=" + feed.identity().cookieValueFor(handle);
    }

    /** The value a browser on this server's own page sends as {@code Origin}. */
    String ownOrigin() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Posts a form to {@code /chirps}.
     *
     * @param form the already encoded body
     * @param headers extra header names and values, alternating
     */
    HttpResponse<String> postForm(String form, String... headers)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/chirps"))
                .header("Content-Type", FORM)
                .POST(HttpRequest.BodyPublishers.ofString(form)), headers);
    }

    /** Sends a request built by the caller, with extra header names and values. */
    HttpResponse<String> send(HttpRequest.Builder request, String... headers)
            throws IOException, InterruptedException {
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Adds a chirp straight to the timeline, as another part of the application would. */
    Chirp store(String handle, String text)
            throws InterruptedException, ExecutionException, TimeoutException {
        return feed.store().post(handle, text).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Opens an event stream on a new loopback connection. */
    EventStream stream(String target, String... headerLines) throws IOException {
        return EventStream.open(new Socket(), port, target, headerLines);
    }

    /**
     * Waits for the handler to count this many open streams, polling because the count has
     * no event to wait on; returns whether it got there within the timeout.
     */
    boolean awaitOpenStreams(int expected) throws InterruptedException {
        return Poll.until(() -> handler.openStreams() == expected, TIMEOUT);
    }

    /** Waits, polling likewise, for the feed to count this many open connections. */
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
