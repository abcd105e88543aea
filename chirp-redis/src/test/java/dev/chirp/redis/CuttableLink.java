package dev.chirp.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between one node and Redis that the test can cut and mend, so that one node
 * loses Redis while the others keep it. Cutting closes every relayed connection and stops
 * listening; mending listens again on the same port.
 */
final class CuttableLink implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listening;
    /** While set, new connections are accepted and closed at once. */
    private volatile boolean refusing;

    private CuttableLink(InetSocketAddress target, ServerSocket listening) {
        this.target = target;
        this.listening = listening;
        this.port = listening.getLocalPort();
        accept(listening);
    }

    /** Starts relaying from a free local port to this Redis. */
    static CuttableLink to(URI redis) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        return new CuttableLink(new InetSocketAddress(redis.getHost(), redis.getPort()), server);
    }

    /** Returns the address nodes use instead of Redis's. */
    URI address() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** Breaks every relayed connection and refuses new ones. */
    void cut() throws IOException {
        listening.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    /**
     * Breaks only the newest relayed connection and closes new ones as they come, so that one
     * client of the node loses Redis while its older connections keep it.
     */
    void cutNewest() throws IOException {
        refusing = true;
        if (sockets.size() >= 2) {
            Socket upstream = sockets.remove(sockets.size() - 1);
            Socket client = sockets.remove(sockets.size() - 1);
            upstream.close();
            client.close();
        }
    }

    /** Takes connections again, on the same port. */
    void mend() throws IOException {
        refusing = false;
        if (!listening.isClosed()) {
            return;
        }
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
        listening = server;
        accept(server);
    }

    @Override
    public void close() throws IOException {
        cut();
    }

    private void accept(ServerSocket server) {
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    if (refusing) {
                        client.close();
                        continue;
                    }
                    Socket upstream = new Socket(target.getHostString(), target.getPort());
                    sockets.add(client);
                    sockets.add(upstream);
                    pipe(client, upstream);
                    pipe(upstream, client);
                } catch (IOException e) {
                    // Cut: the server socket is closed.
                }
            }
        }, "link-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void pipe(Socket from, Socket to) {
        Thread pipe = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // Cut, or the other side went away.
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException e) {
                    // Already closed.
                }
            }
        }, "link-pipe");
        pipe.setDaemon(true);
        pipe.start();
    }
}
