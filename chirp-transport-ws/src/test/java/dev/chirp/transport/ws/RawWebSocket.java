package dev.chirp.transport.ws;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An opening handshake over a raw socket, for what the JDK client hides: the response head
 * and body of a refused handshake, a client that stops reading, and frames the JDK client
 * will not send, such as text that is not UTF-8.
 */
final class RawWebSocket implements AutoCloseable {

    private static final Pattern CONTENT_LENGTH =
            Pattern.compile("(?i)\r\nContent-Length: (\\d+)\r\n");

    private final Socket socket;
    private final InputStream in;
    private final String head;

    private RawWebSocket(Socket socket, String head) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.head = head;
    }

    /**
     * Sends an opening handshake and reads the response head.
     *
     * @param socket an unconnected socket
     * @param extraHeaders header lines, each ending in CRLF
     */
    static RawWebSocket open(Socket socket, int port, String extraHeaders) throws IOException {
        socket.setSoTimeout((int) WsServer.TIMEOUT.toMillis());
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WsServer.TIMEOUT.toMillis());
        OutputStream out = socket.getOutputStream();
        out.write(handshake(port, extraHeaders));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (!bytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the response head ended early: " + bytes);
            }
            bytes.write(b);
        }
        return new RawWebSocket(socket, bytes.toString(StandardCharsets.ISO_8859_1));
    }

    /**
     * Sends an opening handshake and at once resets the connection, as a client does that
     * goes away while its handshake is answered.
     */
    static void abandon(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port),
                    (int) WsServer.TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(handshake(port, ""));
            out.flush();
            // Lingering for no time makes close send a reset instead of an orderly end.
            socket.setSoLinger(true, 0);
        }
    }

    private static byte[] handshake(int port, String extraHeaders) {
        return ("GET /socket HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII);
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
        return new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
    }

    /** Sends one whole frame, masked as a client must, with any opcode and payload. */
    void send(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xFF);
            }
        }
        byte[] mask = {0x1d, 0x2c, 0x3b, 0x4a};
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        socket.getOutputStream().write(frame.toByteArray());
        socket.getOutputStream().flush();
    }

    /** Reads one unfragmented text frame from the server, which does not mask its frames. */
    String nextTextFrame() throws IOException {
        Frame frame = nextFrame();
        if (frame.opcode() != Frame.TEXT) {
            throw new AssertionError("not a text frame: opcode " + frame.opcode());
        }
        return new String(frame.payload(), StandardCharsets.UTF_8);
    }

    /** Reads the next frame from the server, whatever its kind. */
    Frame nextFrame() throws IOException {
        int opcode = readByte() & 0x0F;
        int length = readByte() & 0x7F;
        if (length == 126) {
            length = readByte() << 8 | readByte();
        } else if (length == 127) {
            throw new AssertionError("frame too large for this test client");
        }
        if ((opcode & 0x08) != 0 && length > 125) {
            throw new AssertionError("a control frame of " + length + " bytes");
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
            throw new EOFException("the connection ended inside a frame");
        }
        return new Frame(opcode, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the connection ended inside a frame");
        }
        return b;
    }

    /**
     * Reads until the server ends the connection and returns how many bytes came; throws if
     * it is still open after the read timeout.
     */
    long drainUntilClosed() throws IOException {
        long total = 0;
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
            }
        } catch (SocketException reset) {
            // The server dropped the connection with data unread: it ended all the same.
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * One frame as the server sent it.
     *
     * @param opcode the frame's opcode, such as {@link #TEXT} or {@link #PING}
     * @param payload the unmasked payload
     */
    record Frame(int opcode, byte[] payload) {

        static final int TEXT = 0x1;
        static final int BINARY = 0x2;
        static final int CLOSE = 0x8;
        static final int PING = 0x9;

        /** Returns the close code of a close frame, or 1005 when it carries none. */
        int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF) : 1005;
        }
    }
}
