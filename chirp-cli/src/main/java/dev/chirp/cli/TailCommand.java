package dev.chirp.cli;

import dev.chirp.core.Chirp;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chirp tail}: follows a running Chirp's event stream in its JSON form and prints each
 * chirp, oldest first. After a lost connection it waits as the server's {@code retry:} line
 * says and reconnects with the last id it printed, so nothing is missed or printed twice while
 * the server still holds that chirp.
 */
@Command(name = "tail",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Prints the live feed of a running Chirp: the chirps it holds, then each new one as it "
                + "arrives. Reconnects after a lost connection and carries on where it left off.",
        showDefaultValues = true,
        sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "1:could not reach the server at the start, or it is not a Chirp server (the message says why)",
            "2:bad flags",
            "130:stopped by Ctrl-C (it runs until then)"})
final class TailCommand implements Callable<Integer> {

    private static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", defaultValue = "${env:CHIRP_URL:-http://localhost:4080}", paramLabel = "URL",
            converter = ServerUrl.class, description = "Address of the Chirp server. Env: CHIRP_URL.")
    private URI url;

    @Option(names = "--json",
            description = "Print each chirp as one JSON object per line, {\"id\", \"handle\", \"text\", \"at\"}, "
                    + "for scripts.")
    private boolean json;

    @Option(names = "--color", defaultValue = "auto", paramLabel = "auto|always|never",
            description = "Colour the output: auto colours a terminal unless NO_COLOR is set or TERM is dumb.")
    private TerminalStyle.When color;

    private long lastId;
    private Duration retry = FIRST_RETRY;
    /** Whether a stream was ever opened; until then a failure to connect ends the command. */
    private boolean reached;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TerminalStyle style = new TerminalStyle(
                TerminalStyle.wantsColours(color, System.getenv(), TerminalStyle.stdoutIsTerminal()),
                ZoneId.systemDefault());
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        URI stream = ServerUrl.resolve(url, "/stream?format=json");

        while (true) {
            String lost;
            try {
                follow(http, stream, out, style);
                lost = "the server ended the stream";
            } catch (Busy busy) {
                lost = busy.getMessage();
            } catch (IOException e) {
                if (!reached) {
                    throw new IllegalStateException("could not reach " + url + ": " + describe(e), e);
                }
                lost = "connection lost: " + describe(e);
            }
            err.println("chirp: " + lost + "; reconnecting in " + retry.toSeconds() + " s");
            Thread.sleep(retry.toMillis());
        }
    }

    /** Reads the stream until it ends; prints chirps as they arrive. */
    private void follow(HttpClient http, URI stream, PrintWriter out, TerminalStyle style)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(stream)
                .header("Accept", "text/event-stream")
                .GET();
        if (lastId > 0) {
            request.header("Last-Event-ID", Long.toString(lastId));
        }
        // Limitation: a stream that goes silent is waited on until the operating system gives
        // up on the connection; heartbeats are not used to notice a server that vanished.
        HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            int status = response.statusCode();
            String type = response.headers().firstValue("content-type").orElse("");
            if (status == 503 || status == 502 || status == 504) {
                throw new Busy("the server is busy or restarting (HTTP " + status + ")");
            }
            if (status != 200 || !type.startsWith("text/event-stream")) {
                throw new IllegalStateException("no Chirp event stream at " + stream + " (HTTP " + status
                        + (type.isEmpty() ? "" : ", " + type) + ")");
            }
            reached = true;
            read(lines.iterator(), out, style);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Dispatches the stream's events as the Server-Sent Events format defines them. */
    private void read(Iterator<String> lines, PrintWriter out, TerminalStyle style) {
        String event = "message";
        StringBuilder data = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (data != null && event.equals("chirp")) {
                    show(data.toString(), out, style);
                }
                event = "message";
                data = null;
            } else if (line.startsWith("event:")) {
                event = value(line);
            } else if (line.startsWith("data:")) {
                data = data == null ? new StringBuilder(value(line)) : data.append('\n').append(value(line));
            } else if (line.startsWith("retry:")) {
                try {
                    retry = Duration.ofMillis(Math.max(100, Long.parseLong(value(line))));
                } catch (NumberFormatException e) {
                    // A retry line that is not a number is ignored, as browsers do.
                }
            }
        }
    }

    private void show(String data, PrintWriter out, TerminalStyle style) {
        Chirp chirp;
        try {
            chirp = ChirpJson.chirp(data);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("chirp: skipped an event that is " + e.getMessage());
            return;
        }
        // After a reconnect that could not resume, the server replays its whole feed.
        if (chirp.id() <= lastId) {
            return;
        }
        lastId = chirp.id();
        out.println(json ? data : style.format(chirp));
        out.flush();
    }

    private static String value(String line) {
        String value = line.substring(line.indexOf(':') + 1);
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    private static String describe(IOException e) {
        return ServerUrl.unreachable(e);
    }

    /** The server answered, but cannot take another stream now. */
    private static final class Busy extends IOException {
        private static final long serialVersionUID = 1L;

        Busy(String message) {
            super(message);
        }
    }
}
