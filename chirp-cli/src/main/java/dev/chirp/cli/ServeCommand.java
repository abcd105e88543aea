package dev.chirp.cli;

import dev.chirp.core.Durations;
import dev.chirp.core.guard.RateLimit;
import dev.chirp.core.identity.Secrets;
import dev.chirp.core.store.Fsync;
import dev.chirp.redis.RedisStore;
import dev.chirp.server.ChirpServer;
import dev.chirp.server.Transport;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chirp serve}: runs the server until Ctrl-C, then stops gracefully. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Serves the feed: the page at / and the live transports, on one port.",
        showDefaultValues = true,
        sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped normally",
            "1:could not start, or failed while running (the message says why)",
            "2:bad flags",
            "130, 143:stopped by Ctrl-C or SIGTERM, after a graceful shutdown"},
        footerHeading = "%nEnvironment:%n",
        footer = "Every flag can also be set through the environment variable named in its description.")
final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "${env:CHIRP_PORT:-${env:PORT:-4080}}", paramLabel = "PORT",
            description = "Port to listen on; 0 picks a free one. Env: CHIRP_PORT, else PORT.")
    private int port;

    @Option(names = "--host", defaultValue = "${env:CHIRP_HOST:-0.0.0.0}", paramLabel = "HOST",
            description = "Interface to listen on. Env: CHIRP_HOST.")
    private String host;

    @Option(names = "--dump-path", defaultValue = "${env:CHIRP_DUMP_PATH:-./chirps.dump}", paramLabel = "FILE",
            description = "File the feed is loaded from and flushed to; the journal is FILE.journal beside it. "
                    + "Its folder must exist and be writable. Env: CHIRP_DUMP_PATH.")
    private Path dumpPath;

    @Option(names = "--redis", defaultValue = "${env:CHIRP_REDIS:-off}", paramLabel = "URL|off",
            description = "Keep the feed in Redis instead of the dump file, so that several nodes serve one feed: "
                    + "a Redis address such as redis://127.0.0.1:6379, or off. Every node names the same one. "
                    + "Durability is then Redis' own (its appendonly setting); the dump file, its fsync and "
                    + "flush settings are not used, and the cookie secret is kept in Redis too. "
                    + "Env: CHIRP_REDIS.")
    private String redis;

    @Option(names = "--redis-prefix", defaultValue = "${env:CHIRP_REDIS_PREFIX:-chirp}", paramLabel = "PREFIX",
            description = "With --redis, the prefix of Chirp's keys: nodes with the same prefix share a feed "
                    + "(the stream PREFIX:feed), so one Redis can hold several. Env: CHIRP_REDIS_PREFIX.")
    private String redisPrefix;

    @Option(names = "--transport", defaultValue = "${env:CHIRP_TRANSPORT:-both}", paramLabel = "sse|ws|both",
            description = "Live transports to serve; the page uses the WebSocket when it is on. Env: CHIRP_TRANSPORT.")
    private TransportChoice transport;

    @Option(names = "--max-chirps", defaultValue = "${env:CHIRP_MAX_CHIRPS:-100}", paramLabel = "N",
            description = "How many chirps the feed keeps. Env: CHIRP_MAX_CHIRPS.")
    private int maxChirps;

    @Option(names = "--max-length", defaultValue = "${env:CHIRP_MAX_LENGTH:-280}", paramLabel = "N",
            description = "Longest chirp, in characters (Unicode code points). Env: CHIRP_MAX_LENGTH.")
    private int maxLength;

    @Option(names = "--flush-every", defaultValue = "${env:CHIRP_FLUSH_EVERY:-10s}", paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How often the feed is written to the dump file, such as 10s or 1m. "
                    + "Env: CHIRP_FLUSH_EVERY.")
    private Duration flushEvery;

    @Option(names = "--fsync", defaultValue = "${env:CHIRP_FSYNC:-batch}", paramLabel = "always|batch|off",
            description = "When a chirp is forced to disk: batch (chirps posted together share one fsync "
                    + "before they are acknowledged), always (one fsync per chirp), or off (only the dump on "
                    + "the --flush-every timer; a crash loses what came since). Env: CHIRP_FSYNC.")
    private Fsync fsync;

    @Option(names = "--rate-limit", defaultValue = "${env:CHIRP_RATE_LIMIT:-5/10s}", paramLabel = "N/DURATION|off",
            description = "Chirps each client address may post per window, or off. Env: CHIRP_RATE_LIMIT.")
    private String rateLimit;

    @Option(names = "--clear-every", defaultValue = "${env:CHIRP_CLEAR_EVERY:-off}", paramLabel = "DURATION|off",
            description = "Empty the feed at this interval, as a public demo might, or off. Env: CHIRP_CLEAR_EVERY.")
    private String clearEvery;

    @Option(names = "--heartbeat", defaultValue = "${env:CHIRP_HEARTBEAT:-15s}", paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How often an idle event stream gets a keep-alive comment and each WebSocket a ping. "
                    + "Env: CHIRP_HEARTBEAT.")
    private Duration heartbeat;

    @Option(names = "--reap-after", defaultValue = "${env:CHIRP_REAP_AFTER:-60s}", paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Disconnect a live client that has not read (SSE) or answered a ping (WebSocket) "
                    + "for this long. Env: CHIRP_REAP_AFTER.")
    private Duration reapAfter;

    @Option(names = "--client-buffer", defaultValue = "${env:CHIRP_CLIENT_BUFFER:-256k}", paramLabel = "SIZE",
            converter = SizeConverter.class,
            description = "Live chirps, in bytes (k and m suffixes allowed), that may wait for one slow client "
                    + "before it is disconnected. Env: CHIRP_CLIENT_BUFFER.")
    private long clientBuffer;

    @Option(names = "--max-connections", defaultValue = "${env:CHIRP_MAX_CONNECTIONS:-auto}", paramLabel = "N|auto",
            description = "Live connections (streams and sockets) to hold before answering 503; auto is the "
                    + "open-file limit less 200. Env: CHIRP_MAX_CONNECTIONS.")
    private String maxConnections;

    @Option(names = "--secret-file", defaultValue = "${env:CHIRP_SECRET_FILE}", paramLabel = "FILE",
            description = "File holding the secret that signs identity cookies; created with a random one if "
                    + "missing. Default: DUMP.secret beside the dump; with --redis, a secret kept in Redis. "
                    + "The environment variable CHIRP_SECRET, if set, gives the secret itself instead. "
                    + "Env: CHIRP_SECRET_FILE.")
    private Path secretFile;

    @Option(names = "--secure-cookies", defaultValue = "${env:CHIRP_SECURE_COOKIES:-false}", fallbackValue = "true",
            arity = "0..1", paramLabel = "true|false", showDefaultValue = CommandLine.Help.Visibility.ALWAYS,
            description = "Mark the identity cookie Secure on every response, for https through a proxy that "
                    + "does not send X-Forwarded-Proto; otherwise only requests over https get it. "
                    + "Env: CHIRP_SECURE_COOKIES.")
    private boolean secureCookies;

    @Option(names = "--allowed-origin", defaultValue = "${env:CHIRP_ALLOWED_ORIGINS}", split = ",",
            paramLabel = "ORIGIN",
            description = "Another origin whose pages may post and open the live feed, such as "
                    + "https://chirp.example; repeatable. Others get 403. Env: CHIRP_ALLOWED_ORIGINS, "
                    + "comma-separated.")
    private List<String> allowedOrigins = new ArrayList<>();

    @Option(names = "--trusted-proxy", defaultValue = "${env:CHIRP_TRUSTED_PROXIES}", split = ",",
            paramLabel = "ADDRESS",
            description = "A reverse proxy (address or range such as 10.0.0.0/8) whose X-Forwarded-For and "
                    + "X-Forwarded-Proto are believed; repeatable. From others they are ignored. "
                    + "Env: CHIRP_TRUSTED_PROXIES, comma-separated.")
    private List<String> trustedProxies = new ArrayList<>();

    @Option(names = "--log-level", defaultValue = "${env:CHIRP_LOG_LEVEL:-info}", paramLabel = "LEVEL",
            description = "error, warn, info, debug or trace, for Chirp's and Undertow's loggers alike "
                    + "(at info Undertow's own info lines are left out). Env: CHIRP_LOG_LEVEL.")
    private LogLevel logLevel;

    /** The values of {@code --log-level}; read before parsing by {@link Logging}, checked here. */
    enum LogLevel { ERROR, WARN, INFO, DEBUG, TRACE }

    @Override
    public Integer call() throws Exception {
        ChirpServer.Builder builder = ChirpServer.builder()
                .host(host)
                .port(port)
                .transports(transport.transports())
                .maxChirps(maxChirps)
                .maxLength(maxLength)
                .flushEvery(flushEvery)
                .fsync(fsync)
                .heartbeat(heartbeat)
                .reapAfter(reapAfter)
                .maxQueuedBytes(clientBuffer);
        parseMaxConnections().ifPresent(builder::maxConnections);
        parseRateLimit().ifPresentOrElse(builder::rateLimit, builder::noRateLimit);
        parseClearEvery().ifPresent(builder::clearEvery);
        storeSettings(builder);
        securitySettings(builder);

        ChirpServer server = builder.build();
        Thread stopper = new Thread(server::close, "chirp-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            String hint = cause instanceof java.net.BindException ? "; is something else using it? Choose another --port" : "";
            throw new IllegalStateException("could not listen on " + host + ":" + port + ": " + cause.getMessage()
                    + hint, e);
        }
        server.awaitStop();
        return 0;
    }

    /** The values of {@code --transport}. */
    enum TransportChoice {
        SSE(EnumSet.of(Transport.SSE)),
        WS(EnumSet.of(Transport.WS)),
        BOTH(EnumSet.allOf(Transport.class));

        private final Set<Transport> transports;

        TransportChoice(Set<Transport> transports) {
            this.transports = transports;
        }

        Set<Transport> transports() {
            return transports;
        }

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Reads sizes in bytes such as {@code 262144}, {@code 256k} or {@code 1m}. */
    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String text = value.trim().toLowerCase(java.util.Locale.ROOT);
            long unit = text.endsWith("k") ? 1024 : text.endsWith("m") ? 1024 * 1024 : 1;
            String digits = unit == 1 ? text : text.substring(0, text.length() - 1);
            try {
                long bytes = Long.parseLong(digits) * unit;
                if (bytes >= 1024) {
                    return bytes;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("'" + value
                    + "' should be a size of at least 1024 bytes, such as 262144, 256k or 1m");
        }
    }

    /** Reads durations such as {@code 10s}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                Duration duration = Durations.parse(value);
                if (duration.isZero()) {
                    throw new CommandLine.TypeConversionException("'" + value + "' must be longer than zero");
                }
                return duration;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The dump file, or Redis, which then also keeps the cookie secret unless one is given. */
    private void storeSettings(ChirpServer.Builder builder) {
        Optional<URI> redisAddress = parseRedis();
        if (redisAddress.isEmpty()) {
            builder.dumpPath(dumpPath);
            return;
        }
        try {
            builder.store(RedisStore.builder(redisAddress.get()).keyPrefix(redisPrefix));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option "
                    + "'--redis-prefix': " + e.getMessage());
        }
    }

    private Optional<URI> parseRedis() {
        if (redis.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        try {
            URI address = new URI(redis.trim());
            RedisStore.builder(address);
            return Optional.of(address);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--redis': '"
                    + redis + "' should be a Redis address such as redis://127.0.0.1:6379, or off");
        }
    }

    private void securitySettings(ChirpServer.Builder builder) {
        builder.secureCookies(secureCookies);
        if (secretFile != null) {
            builder.secretFile(secretFile);
        }
        String secret = System.getenv("CHIRP_SECRET");
        if (secret != null && !secret.isEmpty()) {
            builder.secret(Secrets.fromText(secret, "CHIRP_SECRET"));
        }
        try {
            builder.allowedOrigins(withoutBlanks(allowedOrigins));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--allowed-origin': " + e.getMessage());
        }
        try {
            builder.trustedProxies(withoutBlanks(trustedProxies));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--trusted-proxy': " + e.getMessage());
        }
    }

    /** An empty environment variable stands for no values. */
    private static List<String> withoutBlanks(List<String> values) {
        return values == null ? List.of() : values.stream().filter(value -> !value.isBlank()).toList();
    }

    private Optional<Integer> parseMaxConnections() {
        if (maxConnections.equalsIgnoreCase("auto")) {
            return Optional.empty();
        }
        try {
            int max = Integer.parseInt(maxConnections.trim());
            if (max >= 1) {
                return Optional.of(max);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option "
                + "'--max-connections': '" + maxConnections + "' should be a whole number of at least 1, or auto");
    }

    private Optional<RateLimit> parseRateLimit() {
        if (rateLimit.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        try {
            return Optional.of(RateLimit.parse(rateLimit));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--rate-limit': "
                    + e.getMessage() + ", or off");
        }
    }

    private Optional<Duration> parseClearEvery() {
        if (clearEvery.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DurationConverter().convert(clearEvery));
        } catch (CommandLine.TypeConversionException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--clear-every': "
                    + e.getMessage() + ", or off");
        }
    }
}
