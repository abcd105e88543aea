package dev.chirp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar's terminal client, {@code chirp tail} and {@code chirp post}, against {@code chirp serve}. */
class TerminalClientIT {

    private static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)/");
    private static final Path JAR = Path.of("target", "chirp.jar");
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A chirp line as tail prints it without colours. */
    private static final Pattern LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d @([a-z]+\\d+) (.*)");

    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void tailPrintsTheBacklogAndThenAChirpSentWithPost() throws Exception {
        int port = serve(0);
        String url = "http://127.0.0.1:" + port;
        Run first = run("post", "--url", url, "already", "there");
        assertEquals(0, first.exitCode(), first::output);

        Output tail = start("tail", "--url", url);
        String backlog = tail.awaitLine("already there");
        Run second = run("post", "--url", url, "sent while tailing");
        String live = tail.awaitLine("sent while tailing");

        assertTrue(LINE.matcher(backlog).matches(), "the backlog chirp as a line: " + backlog);
        Matcher posted = LINE.matcher(first.stdout().strip());
        assertTrue(posted.matches(), "post prints the stored chirp: " + first.output());
        assertEquals(first.stdout().strip(), backlog, "tail shows it as post did");
        assertEquals(0, second.exitCode(), second::output);
        assertTrue(live.endsWith(" sent while tailing"), live);
        assertFalse(tail.text().contains("\u001b["), "no colours when the output is not a terminal: " + tail.text());
    }

    @Test
    void tailJsonPrintsOneJsonChirpPerLine() throws Exception {
        int port = serve(0);
        String url = "http://127.0.0.1:" + port;
        Output tail = start("tail", "--json", "--url", url);
        Run posted = run("post", "--json", "--url", url, "quote \" and\nline break");

        String line = tail.awaitLine("quote");

        assertEquals(0, posted.exitCode(), posted::output);
        JsonNode printed = new ObjectMapper().readTree(line);
        assertEquals(new ObjectMapper().readTree(posted.stdout()), printed, "the chirp post got back");
        assertEquals("quote \" and\nline break", printed.get("text").asText());
        assertEquals(List.of("id", "handle", "text", "at"), fieldNames(printed));
    }

    @Test
    void colourCanBeAskedForAndControlCharactersNeverReachTheTerminal() throws Exception {
        int port = serve(0);
        String url = "http://127.0.0.1:" + port;
        Output tail = start("tail", "--color=always", "--url", url);
        run("post", "--url", url, "evil \u001b[2J text");

        String line = tail.awaitLine("evil");

        assertTrue(line.contains("\u001b[1;36m@"), "the handle in colour: " + line);
        assertTrue(line.endsWith("evil [2J text"), "the server drops the escape character: " + line);
    }

    @Test
    void postRefusedExitsWithTheServersMessage() throws Exception {
        int port = serve(0);
        String url = "http://127.0.0.1:" + port;

        Run blank = run("post", "--url", url, "   ");
        Run tooLong = run("post", "--url", url, "x".repeat(281));
        Run nobody = run("post", "--url", "http://127.0.0.1:" + freePort(), "hello");

        assertEquals(3, blank.exitCode(), blank::output);
        assertEquals("chirp: Chirp is empty.\n", blank.stderr());
        assertEquals(3, tooLong.exitCode(), tooLong::output);
        assertEquals("chirp: Chirp is 281 characters; the limit is 280.\n", tooLong.stderr());
        assertEquals(1, nobody.exitCode(), nobody::output);
        assertTrue(nobody.stderr().startsWith("chirp: could not reach http://127.0.0.1:"), nobody.stderr());
    }

    @Test
    void postOverTheRateLimitExitsWith4() throws Exception {
        int port = serve(0, "1/1m");
        String url = "http://127.0.0.1:" + port;
        assertEquals(0, run("post", "--url", url, "one").exitCode());

        Run second = run("post", "--url", url, "two");

        assertEquals(4, second.exitCode(), second::output);
        assertTrue(second.stderr().matches("chirp: You are chirping too fast; try again in \\d+ seconds\\.\n"),
                second.stderr());
    }

    @Test
    void tailResumesAfterTheServerRestartsWithoutRepeatingOrMissingAChirp() throws Exception {
        int port = freePort();
        String url = "http://127.0.0.1:" + port;
        Process server = serving(port).process();
        assertEquals(0, run("post", "--url", url, "before the restart").exitCode());
        Output tail = start("tail", "--url", url);
        tail.awaitLine("before the restart");

        // Through the handle: SIGTERM, a graceful stop that flushes the feed.
        server.toHandle().destroy();
        assertTrue(server.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the server stopped");
        serving(port);
        assertEquals(0, run("post", "--url", url, "after the restart").exitCode());
        tail.awaitLine("after the restart");

        assertEquals(1, tail.count("before the restart"), "printed once:\n" + tail.text());
        assertEquals(1, tail.count("after the restart"), "printed once:\n" + tail.text());
        assertTrue(tail.errors().contains("reconnecting in 2 s"), "says it reconnects: " + tail.errors());
    }

    /** Starts {@code chirp serve} with no rate limit, or the given one; returns its port. */
    private int serve(int port, String... rateLimit) throws Exception {
        return serving(port, rateLimit).port();
    }

    private Served serving(int port, String... rateLimit) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command("serve", "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--dump-path", dir.resolve("chirps.dump").toString(),
                "--rate-limit", rateLimit.length == 0 ? "off" : rateLimit[0]))
                .redirectErrorStream(true);
        Process process = builder.start();
        started.add(process);
        Output output = new Output(process);
        Matcher listening = LISTENING.matcher(output.awaitLine("listening on"));
        assertTrue(listening.find(), output::text);
        return new Served(process, Integer.parseInt(listening.group(1)));
    }

    private Output start(String... args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(args));
        builder.environment().remove("CHIRP_URL");
        Process process = builder.start();
        started.add(process);
        return new Output(process);
    }

    private Run run(String... args) throws Exception {
        Process process = new ProcessBuilder(command(args)).start();
        started.add(process);
        Output output = new Output(process);
        assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "chirp " + String.join(" ", args) + " ended");
        return new Run(process.exitValue(), output.text(), output.errors());
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        command.addAll(List.of(args));
        return command;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A running {@code chirp serve}. */
    private record Served(Process process, int port) {
    }

    /** A finished command: its exit code and what it printed on each stream. */
    private record Run(int exitCode, String stdout, String stderr) {
        String output() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /** What a process prints, read as it comes: standard output by line, standard error whole. */
    private static final class Output {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuffer out = new StringBuffer();
        private final StringBuffer err = new StringBuffer();
        private final Thread outReader;
        private final Thread errReader;

        Output(Process process) {
            this.process = process;
            this.outReader = reader(process.getInputStream(), out, lines);
            this.errReader = reader(process.getErrorStream(), err, new LinkedBlockingQueue<>());
        }

        /** Returns the first line still to come that contains the text, or fails. */
        String awaitLine(String text) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("no line containing '" + text + "' within " + WAIT + "; printed:\n"
                            + out + "\nerrors:\n" + err);
                }
                if (line.contains(text)) {
                    return line;
                }
            }
        }

        long count(String text) {
            return out.toString().lines().filter(line -> line.contains(text)).count();
        }

        String text() {
            join(outReader);
            return out.toString();
        }

        String errors() {
            join(errReader);
            return err.toString();
        }

        private void join(Thread reader) {
            if (!process.isAlive()) {
                try {
                    reader.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static Thread reader(InputStream stream, StringBuffer all, BlockingQueue<String> lines) {
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        all.append(line).append('\n');
                        lines.add(line);
                    }
                } catch (IOException e) {
                    all.append("(output unreadable: ").append(e).append(")\n");
                }
            });
            reader.setDaemon(true);
            reader.start();
            return reader;
        }
    }
}
