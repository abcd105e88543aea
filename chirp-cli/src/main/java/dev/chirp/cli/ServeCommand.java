package dev.chirp.cli;

import dev.chirp.core.Durations;
import dev.chirp.core.guard.RateLimit;
import dev.chirp.server.ChirpServer;
import dev.chirp.server.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
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

    @Option(names = "--port", defaultValue = "${env:PORT:-4080}", paramLabel = "PORT",
            description = "Port to listen on; 0 picks a free one. Env: PORT.")
    private int port;

    @Option(names = "--host", defaultValue = "${env:CHIRP_HOST:-0.0.0.0}", paramLabel = "HOST",
            description = "Interface to listen on. Env: CHIRP_HOST.")
    private String host;

    @Option(names = "--dump-path", defaultValue = "${env:CHIRP_DUMP_PATH:-./chirps.dump}", paramLabel = "FILE",
            description = "File the feed is loaded from and flushed to. Its folder must exist. Env: CHIRP_DUMP_PATH.")
    private Path dumpPath;

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

    @Option(names = "--rate-limit", defaultValue = "${env:CHIRP_RATE_LIMIT:-5/10s}", paramLabel = "N/DURATION|off",
            description = "Chirps each client address may post per window, or off. Env: CHIRP_RATE_LIMIT.")
    private String rateLimit;

    @Option(names = "--clear-every", defaultValue = "${env:CHIRP_CLEAR_EVERY:-off}", paramLabel = "DURATION|off",
            description = "Empty the feed at this interval, as a public demo might, or off. Env: CHIRP_CLEAR_EVERY.")
    private String clearEvery;

    @Option(names = "--heartbeat", defaultValue = "${env:CHIRP_HEARTBEAT:-15s}", paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How often an idle event stream gets a keep-alive comment. Env: CHIRP_HEARTBEAT.")
    private Duration heartbeat;

    @Option(names = "--log-level", defaultValue = "${env:CHIRP_LOG_LEVEL:-info}", paramLabel = "LEVEL",
            description = "error, warn, info, debug or trace. Env: CHIRP_LOG_LEVEL.")
    private LogLevel logLevel;

    /** The values of {@code --log-level}; read before parsing by {@link Logging}, checked here. */
    enum LogLevel { ERROR, WARN, INFO, DEBUG, TRACE }

    @Override
    public Integer call() throws Exception {
        ChirpServer.Builder builder = ChirpServer.builder()
                .host(host)
                .port(port)
                .dumpPath(dumpPath)
                .transports(transport.transports())
                .maxChirps(maxChirps)
                .maxLength(maxLength)
                .flushEvery(flushEvery)
                .heartbeat(heartbeat);
        parseRateLimit().ifPresentOrElse(builder::rateLimit, builder::noRateLimit);
        parseClearEvery().ifPresent(builder::clearEvery);

        ChirpServer server = builder.build();
        Thread stopper = new Thread(server::close, "chirp-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw new IllegalStateException("could not listen on " + host + ":" + port + ": " + e.getMessage(), e);
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
