package dev.chirp.transport.ws;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code GET} of the SSE transport's event stream over a raw socket, for tests in this
 * module that mount both transports: the test reads the response head and, for a refusal,
 * its body, and ends the stream by closing the socket.
 */
final class RawStream implements AutoCloseable {

    private static final Pattern CONTENT_LENGTH =
            Pattern.compile("(?i)\r\nContent-Length: (\\d+)\r\n");

    private final Socket socket;
    private final String head;

    private RawStream(Socket socket, String head) {
        this.socket = socket;
        this.head = head;
    }

    /** Sends {@code GET /stream} and reads the response head. */
    static RawStream open(int port) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout((int) WsServer.TIMEOUT.toMillis());
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WsServer.TIMEOUT.toMillis());
        OutputStream out = socket.getOutputStream();
        out.write(("GET /stream HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (!bytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                socket.close();
                throw new EOFException("the response head ended early: " + bytes);
            }
            bytes.write(b);
        }
        return new RawStream(socket, bytes.toString(StandardCharsets.ISO_8859_1));
    }

    /** Returns the response head, status line and headers, ending with the blank line. */
    String head() {
        return head;
    }

    /** Reads a plain response body as long as its Content-Length says. */
    String body() throws IOException {
        Matcher length = CONTENT_LENGTH.matcher(head);
        if (!length.find()) {
            throw new AssertionError("no Content-Length in: " + head);
        }
        byte[] body = socket.getInputStream().readNBytes(Integer.parseInt(length.group(1)));
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
