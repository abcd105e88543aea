/**
 * The {@code chirp} command: {@code chirp serve} parses flags (each also read from an
 * environment variable) and runs a {@link dev.chirp.server.ChirpServer} until Ctrl-C. One
 * setting is read from the environment only, so that it never shows in a process list:
 * {@code CHIRP_SECRET}, the secret that signs identity cookies (default: the secret file).
 *
 * <p>Routes {@link java.lang.System.Logger} and Undertow's JBoss Logging to SLF4J's simple
 * backend, which writes to standard error.
 */
module dev.chirp.cli {
    requires dev.chirp.server;
    requires info.picocli;
    requires org.slf4j;

    // picocli injects options into the command objects reflectively.
    opens dev.chirp.cli to info.picocli;
}
