package dev.chirp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar the way a person runs {@code chirp serve}. */
class ChirpCommandIT {

    private static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)/");
    private static final Path JAR = Path.of("target", "chirp.jar");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
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
    void servesPostsAndKeepsTheFeedAcrossAGracefulRestart() throws Exception {
        Path dump = dir.resolve("chirps.dump");
        Server first = start(Map.of(), "serve", "--port", "0", "--dump-path", dump.toString());

        HttpResponse<String> posted = post(first.port, "chirp=hello+from+the+command+line");
        assertEquals(204, posted.statusCode(), posted::body);
        // Through the handle: Process.destroy() would also close the output being read.
        first.process.toHandle().destroy();

        assertTrue(first.process.waitFor(10, TimeUnit.SECONDS), "chirp did not stop within 10 s of SIGTERM");
        assertEquals(143, first.process.exitValue(), first::log);
        assertTrue(first.log().contains("Chirp stopped"), first::log);
        assertTrue(Files.readString(dump).contains("hello from the command line"), "dump after shutdown: "
                + Files.readString(dump));

        Server second = start(Map.of(), "serve", "--port", "0", "--dump-path", dump.toString());
        assertTrue(second.log().contains("1 chirp loaded"), second::log);
        String page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.port + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(page.contains("hello from the command line"), page);
    }

    @Test
    void logsItsLifecycleAtInfoAndNothingPerChirp() throws Exception {
        Path dump = dir.resolve("quiet.dump");
        Server server = start(Map.of(), "serve", "--port", "0", "--dump-path", dump.toString());

        for (int i = 0; i < 3; i++) {
            assertEquals(204, post(server.port, "chirp=chirp+number+" + i).statusCode(), server::log);
        }
        server.process.toHandle().destroy();
        assertTrue(server.process.waitFor(10, TimeUnit.SECONDS), "chirp did not stop within 10 s of SIGTERM");

        List<String> info = server.log().lines().filter(line -> line.contains(" [INFO] ")).toList();
        assertEquals(3, info.size(), () -> "expected start, stopping and stopped at INFO:\n" + server.log());
        assertTrue(info.get(0).matches(".* \\[INFO\\] ChirpServer - Chirp \\S+ listening on http://localhost:"
                + server.port + "/ \\(transports: sse, ws; feed: " + Pattern.quote(dump.toString())
                + ", 0 chirps loaded\\)"), info.get(0));
        assertTrue(info.get(1).contains("Chirp stopping"), info.get(1));
        assertTrue(info.get(2).contains("Chirp stopped; the feed is flushed"), info.get(2));
    }

    @Test
    void debugLevelReachesUndertowThroughTheSameBackend() throws Exception {
        Server server = start(Map.of(), "serve", "--port", "0", "--dump-path", dir.resolve("debug.dump").toString(),
                "--log-level", "debug");

        String log = server.log();
        assertTrue(log.contains("[DEBUG] logging - Logging Provider: org.jboss.logging.Slf4jLoggerProvider"),
                () -> "JBoss Logging does not go to SLF4J:\n" + log);
        assertTrue(log.contains("[DEBUG] undertow - Configuring listener"),
                () -> "Undertow's debug lines are missing:\n" + log);
    }

    @Test
    void warnLevelFromTheEnvironmentLeavesOutTheInfoLines() throws Exception {
        int port = freePort();
        Server server = launch(Map.of("CHIRP_LOG_LEVEL", "warn"), "serve", "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--dump-path", dir.resolve("warn.dump").toString());
        awaitServing(server, port);

        assertEquals(204, post(port, "chirp=quietly").statusCode(), server::log);
        server.process.toHandle().destroy();

        assertTrue(server.process.waitFor(10, TimeUnit.SECONDS), "chirp did not stop within 10 s of SIGTERM");
        assertEquals(143, server.process.exitValue(), server::log);
        assertTrue(!server.log().contains("[INFO]"), () -> "INFO lines at --log-level warn:\n" + server.log());
    }

    @Test
    void takesItsPortAndDumpPathFromTheEnvironment() throws Exception {
        int port = freePort();
        Path dump = dir.resolve("from-env.dump");

        Server server = start(Map.of("PORT", Integer.toString(port), "CHIRP_DUMP_PATH", dump.toString()), "serve");

        assertEquals(port, server.port, server::log);
        assertTrue(server.log().contains(dump.toString()), server::log);
    }

    @Test
    void transportFlagDecidesWhatThePageUses() throws Exception {
        Server server = start(Map.of(), "serve", "--port", "0", "--dump-path", dir.resolve("c.dump").toString(),
                "--transport", "sse");

        String page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();

        assertTrue(page.contains("sse-connect=\"/stream\""), page);
        assertTrue(!page.contains("ws-connect"), page);
        assertTrue(server.log().contains("transports: sse;"), server::log);
    }

    @Test
    void portInUseStopsStartUpWithOneLineSayingSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                    JAR.toAbsolutePath().toString(), "serve", "--host", "127.0.0.1",
                    "--port", Integer.toString(taken.getLocalPort()), "--dump-path", dir.resolve("d.dump").toString())
                    .redirectErrorStream(true)
                    .start();
            started.add(process);
            Server server = new Server(process);

            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "chirp kept running on a port in use");
            assertEquals(1, process.exitValue(), server::log);
            assertTrue(server.log().contains("chirp: could not listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": Address already in use; is something else using it? Choose another --port"), server::log);
            assertTrue(!server.log().contains("Chirp stopp"), () -> "claims to have stopped:\n" + server.log());
        }
    }

    private HttpResponse<String> post(int port, String form) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chirps"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private Server start(Map<String, String> env, String... args) throws Exception {
        Server server = launch(env, args);
        String line = server.lines.poll(30, TimeUnit.SECONDS);
        while (line != null) {
            Matcher listening = LISTENING.matcher(line);
            if (listening.find()) {
                server.port = Integer.parseInt(listening.group(1));
                return server;
            }
            line = server.lines.poll(30, TimeUnit.SECONDS);
        }
        throw new AssertionError("chirp did not say where it listens:\n" + server.log());
    }

    /** Starts chirp with only {@code env} of Chirp's own variables set, without waiting for it. */
    private Server launch(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
        builder.environment().keySet().removeIf(name -> name.equals("PORT") || name.startsWith("CHIRP_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return new Server(process);
    }

    /** Waits until a server that prints nothing at start answers on {@code port}. */
    private void awaitServing(Server server, int port) throws InterruptedException {
        for (int attempt = 0; attempt < 300; attempt++) {
            try {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                assertTrue(server.process.isAlive(), server::log);
                Thread.sleep(100);
            }
        }
        throw new AssertionError("chirp did not answer on port " + port + " within 30 s:\n" + server.log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A running chirp and everything it printed. */
    private static final class Server {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final StringBuffer output = new StringBuffer();
        final Thread reader;
        int port;

        Server(Process process) {
            this.process = process;
            this.reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        output.append(line).append('\n');
                        lines.add(line);
                    }
                } catch (IOException e) {
                    output.append("(output unreadable: ").append(e).append(")\n");
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** Everything printed so far; all of it once the process has ended. */
        String log() {
            if (!process.isAlive()) {
                try {
                    reader.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return output.toString();
        }
    }
}
