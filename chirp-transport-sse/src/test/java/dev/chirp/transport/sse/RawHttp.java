package dev.chirp.transport.sse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * One HTTP/1.1 exchange over a raw socket, for requests the JDK client will not send as
 * written: a body shorter than its {@code Content-Length}, a chosen source address. The
 * request asks the server to close the connection, so the response is read to its end.
 */
final class RawHttp {

    private RawHttp() {
    }

    /**
     * Sends a request and reads the whole response.
     *
     * @param socket an unconnected socket, possibly bound to a local address
     * @param port the server's port
     * @param head the request line and headers, each ending in CRLF, without the blank line
     * @param body the bytes after the blank line
     */
    static Response exchange(Socket socket, int port, String head, byte[] body) throws IOException {
        int timeout = (int) SseServer.TIMEOUT.toMillis();
        try (socket) {
            socket.setSoTimeout(timeout);
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeout);
            OutputStream out = socket.getOutputStream();
            out.write((head + "Host: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return new Response(readToEnd(socket.getInputStream()));
        }
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                all.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // A server that stops reading a body it refused may reset the connection once it
            // has answered; the answer has been read by then.
            if (all.size() == 0) {
                throw reset;
            }
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    /** A response as received: head and body split at the first blank line. */
    static final class Response {

        private final String head;
        private final String body;

        Response(String raw) {
            int end = raw.indexOf("\r\n\r\n");
            if (end < 0) {
                throw new AssertionError("no complete response head in: " + raw);
            }
            this.head = raw.substring(0, end);
            this.body = raw.substring(end + 4);
        }

        int status() {
            return Integer.parseInt(head.split(" ", 3)[1]);
        }

        Optional<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return head.lines()
                    .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(line -> line.substring(prefix.length()).trim())
                    .findFirst();
        }

        String body() {
            return body;
        }
    }
}
