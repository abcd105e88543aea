/**
 * The {@code chirp} command: {@code chirp serve} parses flags (each also read from an
 * environment variable) and runs a {@link dev.chirp.server.ChirpServer} until Ctrl-C;
 * {@code chirp tail} and {@code chirp post} are a terminal client of a running server. The
 * client reads {@code CHIRP_URL}, {@code NO_COLOR} and {@code TERM} from the environment.
 * One setting of {@code serve} is read from the environment only, so that it never shows in a
 * process list: {@code CHIRP_SECRET}, the secret that signs identity cookies (default: the
 * secret file).
 *
 * <p>Routes {@link java.lang.System.Logger} and the JBoss Logging of Undertow and XNIO to
 * SLF4J's simple backend, which writes to standard error, at the level of
 * {@code --log-level} or {@code CHIRP_LOG_LEVEL}. It sets {@code org.jboss.logging.provider}
 * and the {@code org.slf4j.simpleLogger.*} system properties unless they are already set.
 */
module dev.chirp.cli {
    requires dev.chirp.server;
    // --redis: several nodes sharing one feed.
    requires dev.chirp.redis;
    requires info.picocli;
    // The terminal client: the JDK's HTTP client and Jackson for the server's JSON.
    requires java.net.http;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    // picocli injects options into the command objects reflectively.
    opens dev.chirp.cli to info.picocli;
}
