package dev.chirp.examples;

import dev.chirp.server.ChirpServer;
import dev.chirp.server.Transport;
import java.nio.file.Path;
import java.util.Set;

/**
 * An application that runs Chirp on its own listener with one transport, Server-Sent Events,
 * chosen in code rather than by flags.
 */
public final class StandaloneApp {

    private StandaloneApp() {
    }

    /**
     * Runs Chirp on port 8080 (or the port given as the first argument) until Ctrl-C, keeping
     * the feed in {@code chirps.dump} in the working folder.
     *
     * @param args an optional port
     * @throws InterruptedException if the main thread is interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        ChirpServer chirp = start(port, Path.of("chirps.dump"));
        // Without this hook a stop would lose the chirps posted since the last flush.
        Runtime.getRuntime().addShutdownHook(new Thread(chirp::close));
        System.out.println("Chirp is at " + chirp.url());
        chirp.awaitStop();
    }

    /**
     * Starts Chirp with only the SSE transport: the page posts to {@code /chirps} and follows
     * {@code /stream}; {@code /socket} is not served.
     *
     * @param port the port on 127.0.0.1, or 0 for a free one
     * @param dumpPath the file the feed is loaded from and flushed to; its folder must exist
     * @return the running server; {@link ChirpServer#close()} stops it and flushes the feed
     */
    public static ChirpServer start(int port, Path dumpPath) {
        return ChirpServer.builder()
                .host("127.0.0.1")
                .port(port)
                .dumpPath(dumpPath)
                .transports(Set.of(Transport.SSE))
                .build()
                .start();
    }
}
