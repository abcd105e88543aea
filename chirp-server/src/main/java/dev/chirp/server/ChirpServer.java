package dev.chirp.server;

import dev.chirp.core.Durations;
import dev.chirp.core.Feed;
import dev.chirp.core.FeedObserver;
import dev.chirp.core.guard.ConnectionLimit;
import dev.chirp.core.guard.Guard;
import dev.chirp.core.guard.RateLimit;
import dev.chirp.core.guard.Sweeper;
import dev.chirp.core.identity.Identity;
import dev.chirp.core.identity.Secrets;
import dev.chirp.core.pubsub.PubSub;
import dev.chirp.core.render.Render;
import dev.chirp.core.store.Fsync;
import dev.chirp.core.store.Store;
import dev.chirp.core.store.Timeline;
import dev.chirp.transport.sse.SseHandler;
import dev.chirp.transport.ws.WsHandler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Chirp on one Undertow listener: the page at {@code /}, and the chosen transports.
 *
 * <p>Start one in a few lines:
 * <pre>{@code
 * ChirpServer chirp = ChirpServer.builder()
 *         .port(4080)
 *         .dumpPath(Path.of("chirps.dump"))
 *         .transports(Set.of(Transport.SSE))
 *         .build()
 *         .start();
 * // Ctrl-C and SIGTERM then stop it gracefully, flushing the feed.
 * Runtime.getRuntime().addShutdownHook(new Thread(chirp::close));
 * chirp.awaitStop();
 * }</pre>
 * or build it without starting and mount {@link #handler(HttpHandler)} into an Undertow
 * server the application already owns; {@link #close()} then flushes the feed and closes the
 * live streams.
 *
 * <p>Besides the page and the transports it serves the JSON API under {@code /api/}, health at
 * {@code /healthz} and, unless the application passed a registry that is not a
 * {@link PrometheusMeterRegistry}, metrics at {@code /metrics}.
 *
 * <p>Thread-safe.
 */
public final class ChirpServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ChirpServer.class.getName());
    private static final Duration DRAIN = Duration.ofSeconds(2);
    private static final Duration REQUEST_PARSE_TIMEOUT = Duration.ofSeconds(10);

    private final String host;
    private final int requestedPort;
    private final Duration heartbeat;
    private final Duration reapAfter;
    private final long maxQueuedBytes;
    private final Set<Transport> transports;
    private final Feed feed;
    private final Sweeper sweeper;
    private final MeterRegistry meters;
    private final Optional<PrometheusMeterRegistry> scrapedMeters;
    private final Optional<JvmGcMetrics> gcMetrics;
    private final List<Gauge> gauges = new ArrayList<>();
    private final List<SseHandler> sseHandlers = new CopyOnWriteArrayList<>();
    private final List<WsHandler> wsHandlers = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object lifecycle = new Object();

    private Undertow undertow;
    private GracefulShutdownHandler gate;
    private InetSocketAddress address;
    private boolean closed;
    private volatile boolean stopping;

    private ChirpServer(Builder builder) {
        this.host = builder.host;
        this.requestedPort = builder.port;
        this.heartbeat = builder.heartbeat;
        this.reapAfter = builder.reapAfter;
        this.maxQueuedBytes = builder.maxQueuedBytes;
        this.transports = Collections.unmodifiableSet(EnumSet.copyOf(builder.transports));

        this.meters = builder.meterRegistry.orElseGet(() -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        this.scrapedMeters = meters instanceof PrometheusMeterRegistry prometheus
                ? Optional.of(prometheus)
                : Optional.empty();
        FeedObserver observer = new MeterObserver(meters);

        PubSub pubSub = builder.pubSub.orElseGet(PubSub::inProcess);
        Store store = builder.store
                .map(factory -> factory.open(new Store.Context(pubSub, builder.clock, observer, builder.maxChirps)))
                .orElseGet(() -> builder.timeline.pubSub(pubSub).clock(builder.clock).observer(observer).build());
        Guard guard = builder.guard.clock(builder.clock).build();

        this.feed = new Feed(store, pubSub, guard, identity(builder, store), Render.create(),
                builder.maxConnections.map(ConnectionLimit::of).orElseGet(ConnectionLimit::unlimited),
                observer);
        // Removed on close: an application's registry may outlive this server.
        gauges.add(Gauge.builder("chirp.connections.open", sseHandlers,
                        handlers -> handlers.stream().mapToInt(SseHandler::openStreams).sum())
                .description("Open live connections, by transport")
                .tag("transport", Transport.SSE.flag())
                .register(meters));
        gauges.add(Gauge.builder("chirp.connections.open", wsHandlers,
                        handlers -> handlers.stream().mapToInt(WsHandler::openSockets).sum())
                .description("Open live connections, by transport")
                .tag("transport", Transport.WS.flag())
                .register(meters));
        gauges.add(Gauge.builder("chirp.feed.chirps", store, feedStore -> feedStore.chirps().size())
                .description("Chirps the feed holds now")
                .register(meters));
        // Chirp's own registry also carries the JVM's basics; an application's registry is
        // left to the application to fill. Bound once the dump has loaded, so that a dump that
        // fails the build leaves no listener behind.
        if (builder.meterRegistry.isEmpty()) {
            new JvmMemoryMetrics().bindTo(meters);
            new JvmThreadMetrics().bindTo(meters);
            new ClassLoaderMetrics().bindTo(meters);
            new ProcessorMetrics().bindTo(meters);
            new UptimeMetrics().bindTo(meters);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(meters);
            this.gcMetrics = Optional.of(gc);
        } else {
            this.gcMetrics = Optional.empty();
        }
        this.sweeper = Sweeper.start(feed.guard(), builder.clearEvery, () -> feed.store().clear());
    }

    /**
     * Signs cookies with the secret given, or the one in the secret file, or the one the store
     * shares between nodes, or the one kept next to the dump, or else one for this process only.
     */
    private static Identity identity(Builder builder, Store store) {
        byte[] secret = builder.secret
                .or(() -> builder.secretFile.map(Secrets::loadOrCreate))
                .or(store::sharedSecret)
                .or(() -> store.dumpPath().map(ChirpServer::secretFileBeside).map(Secrets::loadOrCreate))
                .orElseGet(Secrets::random);
        return Identity.builder().secret(secret).alwaysSecure(builder.secureCookies).build();
    }

    /** The file that keeps the cookie secret beside a dump: {@code chirps.dump.secret} beside {@code chirps.dump}. */
    static Path secretFileBeside(Path dump) {
        return dump.resolveSibling(dump.getFileName() + ".secret");
    }

    /**
     * Returns a builder with the defaults a user of {@code chirp serve} gets: port 4080 on
     * every interface, both transports, 100 chirps kept in memory only, a flush every 10
     * seconds, 280 code points per chirp, 5 chirps per 10 seconds per client.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a handler that serves Chirp (the page, its assets, the transports, the JSON API,
     * {@code /healthz} and {@code /metrics}) and passes every other request to {@code next},
     * for mounting into an existing Undertow server. Streams opened through it are closed by
     * {@link #close()}; from then on health and the API answer 503.
     *
     * <p>Limitation: for a mounted Chirp, {@link #close()} returns once its event streams are
     * told to end, not once their connections are closed; stop the application's server
     * after draining its requests (a {@code GracefulShutdownHandler}), or Undertow may cut
     * those connections off and XNIO log an error.
     *
     * @param next the handler for requests Chirp does not serve
     * @return the handler
     */
    public HttpHandler handler(HttpHandler next) {
        HttpHandler chain = Objects.requireNonNull(next, "next");
        if (scrapedMeters.isPresent()) {
            chain = new MetricsHandler(scrapedMeters.get(), chain);
        }
        chain = new HealthHandler(feed.store(), this::isStopping, chain);
        chain = new ApiHandler(feed, this::isStopping, chain);
        chain = new PageHandler(feed, transports, chain);
        if (transports.contains(Transport.SSE)) {
            SseHandler sse = SseHandler.builder(feed)
                    .heartbeat(heartbeat)
                    .reapAfter(reapAfter)
                    .maxQueuedBytes(maxQueuedBytes)
                    .build(chain);
            sseHandlers.add(sse);
            chain = sse;
        }
        if (transports.contains(Transport.WS)) {
            WsHandler ws = WsHandler.builder(feed)
                    .heartbeat(heartbeat)
                    .reapAfter(reapAfter)
                    .maxQueuedBytes(maxQueuedBytes)
                    .build(chain);
            wsHandlers.add(ws);
            chain = ws;
        }
        return chain;
    }

    /**
     * Starts listening on the configured host and port.
     *
     * @return this server
     * @throws IllegalStateException if it was started or closed before
     */
    public ChirpServer start() {
        synchronized (lifecycle) {
            if (undertow != null || closed) {
                throw new IllegalStateException("a ChirpServer starts once");
            }
            HttpHandler chirp = new SecurityHeaders(handler(PageHandler::notFound));
            gate = new GracefulShutdownHandler(chirp);
            GracefulShutdownHandler gated = gate;
            Undertow listening = Undertow.builder()
                    .addHttpListener(requestedPort, host)
                    // One I/O thread per core: on a single core a second one only adds context
                    // switches in the middle of fan-out rounds.
                    .setIoThreads(Runtime.getRuntime().availableProcessors())
                    // A client gets this long to send its request headers, so half-sent requests
                    // cannot hold connections open.
                    .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) REQUEST_PARSE_TIMEOUT.toMillis())
                    // Once stopping, health and the API answer 503 themselves, in their own
                    // formats, instead of getting the gate's bare one.
                    .setHandler(exchange -> {
                        if (stopping && answersWhileStopping(exchange.getRelativePath())) {
                            chirp.handleRequest(exchange);
                        } else {
                            gated.handleRequest(exchange);
                        }
                    })
                    .build();
            listening.start();
            undertow = listening;
            address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        }
        int loaded = feed.store().chirps().size();
        LOG.log(System.Logger.Level.INFO, "Chirp {0} listening on {1} (transports: {2}; feed: {3}, {4} loaded)",
                PageHandler.version("chirp"), url(),
                transports.stream().map(Transport::flag).collect(Collectors.joining(", ")),
                feed.store().location(),
                loaded == 1 ? "1 chirp" : loaded + " chirps");
        return this;
    }

    /**
     * Returns the port the server listens on, useful after asking for port 0.
     *
     * @return the bound port
     * @throws IllegalStateException if the server is not started
     */
    public int port() {
        synchronized (lifecycle) {
            if (address == null) {
                throw new IllegalStateException("the server is not started");
            }
            return address.getPort();
        }
    }

    /**
     * Returns the address a browser on this machine opens.
     *
     * @return such as {@code http://localhost:4080/}
     * @throws IllegalStateException if the server is not started
     */
    public String url() {
        return "http://localhost:" + port() + "/";
    }

    /**
     * Returns the feed this server serves: its store, broadcaster and guard.
     *
     * @return the feed
     */
    public Feed feed() {
        return feed;
    }

    /**
     * Returns the registry Chirp's meters are in: the application's, if it passed one to the
     * builder, or Chirp's own Prometheus registry, which also holds the JVM's basics.
     *
     * @return the registry
     */
    public MeterRegistry meterRegistry() {
        return meters;
    }

    /**
     * Returns the transports this server serves.
     *
     * @return an unmodifiable set
     */
    public Set<Transport> transports() {
        return transports;
    }

    /**
     * Blocks until {@link #close()} has finished.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops gracefully: new requests get 503, the feed is flushed to disk, then live streams
     * end and sockets close with code 1012, after which pages reconnect on their own.
     * Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stopping = true;
        if (gate != null) {
            gate.shutdown();
        }
        if (undertow != null) {
            LOG.log(System.Logger.Level.INFO, "Chirp stopping: new requests get 503, the feed is flushed, "
                    + "then live clients are told to reconnect");
        }
        sweeper.close();
        feed.store().close();
        sseHandlers.forEach(SseHandler::closeStreams);
        wsHandlers.forEach(WsHandler::closeSockets);
        try {
            if (gate != null) {
                gate.awaitShutdown(DRAIN.toMillis());
            }
            // An upgraded socket no longer counts as a request at the gate: wait for its close
            // frame here, or stopping Undertow may cut it off.
            for (WsHandler ws : wsHandlers) {
                ws.awaitSocketsClosed(DRAIN);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (undertow != null) {
            undertow.stop();
            if (feed.store().hasUnflushedChanges()) {
                LOG.log(System.Logger.Level.ERROR, "Chirp stopped, but the newest chirps could not be written "
                        + "to {0} and are lost; see the error above", feed.store().dumpPath().orElseThrow());
            } else {
                LOG.log(System.Logger.Level.INFO, "Chirp stopped; the feed is flushed");
            }
        }
        gcMetrics.ifPresent(JvmGcMetrics::close);
        gauges.forEach(meters::remove);
        stopped.countDown();
    }

    private boolean isStopping() {
        return stopping;
    }

    private static boolean answersWhileStopping(String path) {
        return path.equals(HealthHandler.PATH) || path.equals("/api") || path.startsWith("/api/");
    }

    /**
     * Settings for a {@link ChirpServer}; each setter checks its argument at once. Settings of
     * the feed itself are those of {@link Timeline.Builder} and {@link Guard.Builder}.
     */
    public static final class Builder {

        private final Timeline.Builder timeline = Timeline.builder();
        private final Guard.Builder guard = Guard.builder();
        private String host = "0.0.0.0";
        private int port = 4080;
        private Optional<Duration> clearEvery = Optional.empty();
        private Set<Transport> transports = EnumSet.allOf(Transport.class);
        private Duration heartbeat = Duration.ofSeconds(15);
        private Duration reapAfter = Duration.ofSeconds(60);
        private long maxQueuedBytes = 256 * 1024;
        private Optional<Integer> maxConnections = OpenFiles.defaultMaxConnections();
        private Optional<PubSub> pubSub = Optional.empty();
        private Optional<Store.Factory> store = Optional.empty();
        private int maxChirps = 100;
        private boolean hasDumpPath;
        private Optional<MeterRegistry> meterRegistry = Optional.empty();
        private Clock clock = Clock.systemUTC();
        private Optional<byte[]> secret = Optional.empty();
        private Optional<Path> secretFile = Optional.empty();
        private boolean secureCookies;

        private Builder() {
        }

        /**
         * Sets the secret identity cookies are signed with. Default: the secret in
         * {@link #secretFile(Path)}; without one, the one kept beside the dump in
         * {@code DUMP.secret}, created on first start; without a dump, a random one for this
         * process, so visitors get new handles after a restart.
         *
         * @param secret at least 16 bytes; copied
         * @return this builder
         * @throws IllegalArgumentException if the secret is shorter
         */
        public Builder secret(byte[] secret) {
            Identity.builder().secret(secret);
            this.secret = Optional.of(secret.clone());
            return this;
        }

        /**
         * Sets the file the cookie secret is read from; if it does not exist it is created
         * with a new random secret, readable by its owner only. Default: see {@link #secret(byte[])}.
         *
         * @param secretFile the file; its folder must exist
         * @return this builder
         */
        public Builder secretFile(Path secretFile) {
            this.secretFile = Optional.of(Objects.requireNonNull(secretFile, "secretFile"));
            return this;
        }

        /**
         * Marks the identity cookie {@code Secure} on every response, for a server reached
         * over https through a proxy that does not send {@code X-Forwarded-Proto}. Default:
         * only when the request came over https, directly or through a trusted proxy.
         *
         * @param secureCookies whether every cookie is {@code Secure}
         * @return this builder
         */
        public Builder secureCookies(boolean secureCookies) {
            this.secureCookies = secureCookies;
            return this;
        }

        /**
         * Sets origins, besides the server's own, whose pages may post and open the live
         * feed; any other origin gets 403. Default: none.
         *
         * @param allowedOrigins origins such as {@code https://chirp.example}
         * @return this builder
         * @throws IllegalArgumentException if one is not a {@code scheme://host[:port]} origin
         */
        public Builder allowedOrigins(Collection<String> allowedOrigins) {
            guard.allowedOrigins(allowedOrigins);
            return this;
        }

        /**
         * Sets the reverse proxies whose {@code X-Forwarded-For} (the client's address, for
         * rate limits) and {@code X-Forwarded-Proto} (https, for cookies and origins) are
         * believed. Default: none.
         *
         * @param trustedProxies addresses such as {@code 127.0.0.1}, or ranges such as {@code 10.0.0.0/8}
         * @return this builder
         * @throws IllegalArgumentException if one is not an address or range
         */
        public Builder trustedProxies(Collection<String> trustedProxies) {
            guard.trustedProxies(trustedProxies);
            return this;
        }

        /**
         * Sets the interface to listen on. Default {@code 0.0.0.0}, every interface.
         *
         * @param host a host name or address
         * @return this builder
         */
        public Builder host(String host) {
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        /**
         * Sets the port. Default 4080; 0 picks a free one.
         *
         * @param port 0 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the dump file the feed is loaded from and flushed to. Default: none, the feed
         * lives in memory only.
         *
         * @param dumpPath the file; its folder must exist
         * @return this builder
         * @see Timeline.Builder#dumpPath(Path)
         */
        public Builder dumpPath(Path dumpPath) {
            timeline.dumpPath(dumpPath);
            this.hasDumpPath = true;
            return this;
        }

        /**
         * Sets how accepted chirps are made durable when there is a dump file. Default
         * {@link Fsync#BATCH}: group commit to the journal.
         *
         * @param fsync the mode
         * @return this builder
         * @see Timeline.Builder#fsync(Fsync)
         */
        public Builder fsync(Fsync fsync) {
            timeline.fsync(fsync);
            return this;
        }

        /**
         * Sets how many chirps the feed keeps. Default 100.
         *
         * @param maxChirps at least 1
         * @return this builder
         */
        public Builder maxChirps(int maxChirps) {
            timeline.maxChirps(maxChirps);
            this.maxChirps = maxChirps;
            return this;
        }

        /**
         * Sets how often the dump is written. Default 10 seconds.
         *
         * @param flushEvery a positive duration
         * @return this builder
         */
        public Builder flushEvery(Duration flushEvery) {
            timeline.flushEvery(flushEvery);
            return this;
        }

        /**
         * Sets the longest chirp, in Unicode code points. Default 280.
         *
         * @param maxLength at least 1
         * @return this builder
         */
        public Builder maxLength(int maxLength) {
            guard.maxLength(maxLength);
            return this;
        }

        /**
         * Sets the rate limit per client address. Default 5 chirps per 10 seconds.
         *
         * @param rateLimit the limit
         * @return this builder
         */
        public Builder rateLimit(RateLimit rateLimit) {
            guard.rateLimit(rateLimit);
            return this;
        }

        /**
         * Turns the rate limit off, for load tests.
         *
         * @return this builder
         */
        public Builder noRateLimit() {
            guard.noRateLimit();
            return this;
        }

        /**
         * Empties the feed at this interval, as a public demo might. Default: never.
         *
         * @param clearEvery a positive duration
         * @return this builder
         */
        public Builder clearEvery(Duration clearEvery) {
            this.clearEvery = Optional.of(Durations.requirePositive(clearEvery, "clear interval"));
            return this;
        }

        /**
         * Sets the transports to serve. Default: both; the page uses the WebSocket when it
         * is on.
         *
         * @param transports at least one
         * @return this builder
         */
        public Builder transports(Set<Transport> transports) {
            if (transports.isEmpty()) {
                throw new IllegalArgumentException("at least one transport is needed");
            }
            this.transports = EnumSet.copyOf(transports);
            return this;
        }

        /**
         * Sets how often an idle event stream gets a comment line. Default 15 seconds.
         *
         * @param heartbeat a positive duration
         * @return this builder
         */
        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = Durations.requirePositive(heartbeat, "heartbeat");
            return this;
        }

        /**
         * Sets how long a live client may fail to read (SSE) or stay silent, not even
         * answering pings (WebSocket), before it is disconnected. Default 60 seconds.
         *
         * @param reapAfter a positive duration
         * @return this builder
         */
        public Builder reapAfter(Duration reapAfter) {
            this.reapAfter = Durations.requirePositive(reapAfter, "reap time");
            return this;
        }

        /**
         * Sets how many bytes of live chirps may wait for one client before it is
         * disconnected as too slow. Default 256 KiB.
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
         * Sets how many live connections (event streams and sockets together) may be open;
         * beyond it clients get 503. Default: the process's open-file limit less 200, which
         * keeps files free for the page, posts and the dump; no limit where the open-file
         * limit cannot be read.
         *
         * @param maxConnections at least 1
         * @return this builder
         */
        public Builder maxConnections(int maxConnections) {
            ConnectionLimit.of(maxConnections);
            this.maxConnections = Optional.of(maxConnections);
            return this;
        }

        /**
         * Sets the broadcaster, such as one shared by several nodes. Default: in-process.
         *
         * @param pubSub the broadcaster
         * @return this builder
         */
        public Builder pubSub(PubSub pubSub) {
            this.pubSub = Optional.of(Objects.requireNonNull(pubSub, "pubSub"));
            return this;
        }

        /**
         * Sets where the feed lives instead of the embedded timeline, such as a store on a
         * database that several nodes share ({@code RedisStore.builder(uri)} in the
         * {@code dev.chirp.redis} module). The server opens it at {@link #build()} with its
         * broadcaster, clock, observer and {@link #maxChirps(int)}. Default: the embedded
         * timeline, in memory or in {@link #dumpPath(Path)}; the dump path, fsync mode and
         * flush interval apply only to it, and a dump path given with a store is refused at
         * {@link #build()}. With a store, give the cookie secret through {@link #secret(byte[])}
         * or {@link #secretFile(Path)}, the same on every node that shares the feed, unless the
         * store shares one itself ({@link Store#sharedSecret()}).
         *
         * @param store opens the store
         * @return this builder
         */
        public Builder store(Store.Factory store) {
            this.store = Optional.of(Objects.requireNonNull(store, "store"));
            return this;
        }

        /**
         * Sets the registry for Chirp's meters ({@code chirp.*}), such as the one the
         * application already exposes. Default: a Prometheus registry of Chirp's own that also
         * holds the JVM's memory, garbage collection, thread, class and processor meters.
         * {@code /metrics} serves the registry when it is a {@link PrometheusMeterRegistry},
         * and answers 404 otherwise.
         *
         * @param registry the registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Optional.of(Objects.requireNonNull(registry, "registry"));
            return this;
        }

        /**
         * Sets the clock for ids, timestamps and rate limits. Default: the system clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the server without starting it: loads the dump and starts housekeeping.
         *
         * @return the server, ready to {@link ChirpServer#start()} or to mount
         * @throws IllegalStateException if the dump exists but cannot be read, a dump path was
         *     given with a store, or the {@link #store(Store.Factory) store} cannot be opened
         *     (such as a database that cannot be reached)
         * @throws java.io.UncheckedIOException if the cookie secret's file can be neither read nor created
         * @throws IllegalArgumentException if the secret file holds fewer than 16 bytes
         */
        public ChirpServer build() {
            if (store.isPresent() && hasDumpPath) {
                throw new IllegalStateException("a dump path and a store are alternatives: the store keeps the "
                        + "feed, so leave the dump path out");
            }
            return new ChirpServer(this);
        }
    }
}
