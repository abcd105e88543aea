package dev.chirp.transport.sse;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An event stream read over a raw socket, so a test sees the exact bytes and decides when to
 * read and when to stop. Every read waits at most {@link SseServer#TIMEOUT}; a read that
 * times out fails the test with {@link java.net.SocketTimeoutException}.
 *
 * <p>Lines are split at {@code \n} only and keep any {@code \r}, so a test can tell a
 * carriage return that would end a line for a browser from one that would not.
 */
final class EventStream implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final String statusLine;
    private final Map<String, String> headers = new HashMap<>();

    private EventStream(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.statusLine = headLine();
        for (String line = headLine(); !line.isEmpty(); line = headLine()) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            headers.put(name, line.substring(colon + 1).trim());
        }
        if (header("Transfer-Encoding").isPresent()) {
            throw new IllegalStateException("this client reads plain bodies only: " + headers);
        }
    }

    /**
     * Connects a socket, which may already be bound to a local address, and sends a GET.
     *
     * @param headerLines extra header lines such as {@code Last-Event-ID: 12}
     */
    static EventStream open(Socket socket, int port, String target, String... headerLines)
            throws IOException {
        int timeout = (int) SseServer.TIMEOUT.toMillis();
        socket.setSoTimeout(timeout);
        socket.connect(new InetSocketAddress("127.0.0.1", port), timeout);
        StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Accept: text/event-stream\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        OutputStream out = socket.getOutputStream();
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return new EventStream(socket);
    }

    /** Returns the status code of the response. */
    int status() {
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    /** Returns a response header's value. */
    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Reads one line of the body, without its {@code \n} but with any {@code \r}. */
    String nextLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("stream ended" + (line.size() > 0 ? " inside a line" : ""));
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Reads the lines up to the next blank line, which ends an event. */
    List<String> nextBlock() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = nextLine(); !line.isEmpty(); line = nextLine()) {
            lines.add(line);
        }
        return lines;
    }

    /**
     * Reads up to the next event a browser would dispatch: a block with data. Blocks with
     * only comments or a {@code retry:} line are skipped.
     */
    Event nextEvent() throws IOException {
        while (true) {
            Event event = Event.of(nextBlock());
            if (event.data() != null) {
                return event;
            }
        }
    }

    /** Reads the opening block, the {@code retry:} line that comes before any event. */
    List<String> opening() throws IOException {
        return nextBlock();
    }

    /**
     * Reads until the server ends the stream and returns the complete chirp events seen on
     * the way. Throws if the stream is still open after the read timeout.
     */
    List<Event> drainUntilClosed() throws IOException {
        List<Event> events = new ArrayList<>();
        try {
            while (true) {
                Event event = Event.of(nextBlock());
                if ("chirp".equals(event.type())) {
                    events.add(event);
                }
            }
        } catch (EOFException | SocketException ended) {
            // The server closed the connection: end of stream, or reset if it was cut short.
            return events;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Reads a line of the response head, which ends with CRLF. */
    private String headLine() throws IOException {
        String line = nextLine();
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /**
     * One block of the stream.
     *
     * @param id the {@code id} field, or null
     * @param type the {@code event} field, or null
     * @param data the {@code data} lines joined by {@code \n}, or null if there were none
     * @param lines the block's lines as sent
     */
    record Event(String id, String type, String data, List<String> lines) {

        static Event of(List<String> lines) {
            String id = null;
            String type = null;
            StringBuilder data = null;
            for (String line : lines) {
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> type = value;
                    case "data" -> data = data == null
                            ? new StringBuilder(value)
                            : data.append('\n').append(value);
                    default -> { }
                }
            }
            return new Event(id, type, data == null ? null : data.toString(), List.copyOf(lines));
        }
    }
}
