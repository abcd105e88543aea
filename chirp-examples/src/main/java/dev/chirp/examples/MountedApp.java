package dev.chirp.examples;

import dev.chirp.server.ChirpServer;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * An application that already owns an Undertow server with a route of its own,
 * {@code GET /hello}, and mounts Chirp into it: Chirp serves its page and both transports,
 * and hands every request it does not serve to the application's handler.
 */
public final class MountedApp implements AutoCloseable {

    private static final long DRAIN_MILLIS = 2_000;

    private final ChirpServer chirp;
    private final GracefulShutdownHandler gate;
    private final Undertow server;

    private MountedApp(ChirpServer chirp, GracefulShutdownHandler gate, Undertow server) {
        this.chirp = chirp;
        this.gate = gate;
        this.server = server;
    }

    /**
     * Runs the application on port 8080 (or the port given as the first argument) until
     * Ctrl-C, keeping the feed in {@code chirps.dump} in the working folder.
     *
     * @param args an optional port
     * @throws InterruptedException if the main thread is interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        MountedApp app = start(port, Path.of("chirps.dump"));
        Runtime.getRuntime().addShutdownHook(new Thread(app::close));
        System.out.println("The application is at http://localhost:" + app.port() + "/hello, Chirp at /");
        app.chirp.awaitStop();
    }

    /**
     * Starts the application's Undertow server with Chirp mounted in it.
     *
     * @param port the port on 127.0.0.1, or 0 for a free one
     * @param dumpPath the file the feed is loaded from and flushed to; its folder must exist
     * @return the running application
     */
    public static MountedApp start(int port, Path dumpPath) {
        // Built but not started: the application's server does the listening.
        ChirpServer chirp = ChirpServer.builder().dumpPath(dumpPath).build();
        HttpHandler ownRoutes = Handlers.path()
                .addExactPath("/hello", exchange -> {
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
                    exchange.getResponseSender().send("Hello from the application\n");
                });
        // The gate lets requests under way, Chirp's event streams among them, finish at stop.
        GracefulShutdownHandler gate = Handlers.gracefulShutdown(chirp.handler(ownRoutes));
        Undertow server = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setHandler(gate)
                .build();
        server.start();
        return new MountedApp(chirp, gate, server);
    }

    /**
     * Returns the port the application listens on.
     *
     * @return the bound port
     */
    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /**
     * Stops gracefully: new requests get 503, Chirp flushes its feed and ends its live
     * streams (pages reconnect later), the streams are given up to two seconds to finish,
     * then the application's server stops.
     */
    @Override
    public void close() {
        gate.shutdown();
        chirp.close();
        try {
            gate.awaitShutdown(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
    }
}
