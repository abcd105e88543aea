package dev.chirp.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

/** The packaged jar running {@code chirp serve} as a child process, with everything it prints. */
final class ChirpProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "chirp.jar");
    private static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)/");
    private static final Pattern ITEM = Pattern.compile(
            "<li class=\"chirp\" id=\"chirp-(\\d+)\">.*?<span class=\"text\" dir=\"auto\">([^<]*)</span></li>");

    final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;
    private int port;

    private ChirpProcess(Process process) {
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

    /** Starts {@code chirp serve} with these arguments, quick to boot, without waiting for it. */
    static ChirpProcess launch(List<String> serveArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // Boots faster; these tests measure nothing.
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", JAR.toAbsolutePath().toString(),
                "serve", "--host", "127.0.0.1", "--port", "0"));
        command.addAll(serveArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("CHIRP_") || name.equals("PORT"));
        return new ChirpProcess(builder.start());
    }

    /** Starts {@code chirp serve} and waits until it says where it listens. */
    static ChirpProcess start(List<String> serveArgs) throws Exception {
        ChirpProcess chirp = launch(serveArgs);
        for (String line = chirp.lines.poll(60, TimeUnit.SECONDS); line != null;
                line = chirp.lines.poll(60, TimeUnit.SECONDS)) {
            Matcher listening = LISTENING.matcher(line);
            if (listening.find()) {
                chirp.port = Integer.parseInt(listening.group(1));
                return chirp;
            }
        }
        chirp.close();
        throw new AssertionError("chirp did not say where it listens:\n" + chirp.log());
    }

    int port() {
        return port;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Posts a chirp through the form route. */
    HttpResponse<String> post(HttpClient http, String text) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri("/chirps"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("chirp=" + text))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Reads the feed from the page, oldest first. */
    List<Item> feed(HttpClient http) throws IOException, InterruptedException {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri("/")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (page.statusCode() != 200) {
            throw new AssertionError("GET / answered " + page.statusCode() + ": " + page.body());
        }
        List<Item> items = new ArrayList<>();
        Matcher item = ITEM.matcher(page.body());
        while (item.find()) {
            items.add(0, new Item(Long.parseLong(item.group(1)), item.group(2)));
        }
        return items;
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

    /** Kills the process with SIGKILL and waits for it to end. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("chirp survived SIGKILL for 30 s");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** A chirp as the page shows it. */
    record Item(long id, String text) {
    }
}
