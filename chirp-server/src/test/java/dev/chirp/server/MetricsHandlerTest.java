package dev.chirp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.store.Timeline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics}: well-formed Prometheus text whose figures follow what happens. */
class MetricsHandlerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern TYPE =
            Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(?:" + LABEL + ")(?:," + LABEL
            + ")*,?\\})? (-?[0-9.]+(?:[eE][+-]?[0-9]+)?|NaN|[+-]Inf)(?: -?[0-9]+)?");

    @TempDir
    Path tempDir;

    private final HttpClient http = Visitor.newHttpClient();
    private final List<ChirpServer> servers = new ArrayList<>();

    @AfterEach
    void closeServers() {
        servers.forEach(ChirpServer::close);
    }

    @Test
    void everyLineIsPrometheusTextAndEverySampleHasADeclaredType() throws Exception {
        ChirpServer server = start();
        new Visitor(http, server.port()).postAccepted("something to count");

        HttpResponse<String> metrics = get(server, "/metrics");

        assertEquals(200, metrics.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8",
                metrics.headers().firstValue("content-type").orElse(""), "the content type");
        Set<String> typed = new HashSet<>();
        List<String> lines = metrics.body().lines().toList();
        for (String line : lines) {
            Matcher type = TYPE.matcher(line);
            Matcher sample = SAMPLE.matcher(line);
            if (type.matches()) {
                assertTrue(typed.add(type.group(1)), "TYPE declared twice: " + line);
            } else if (sample.matches()) {
                String name = sample.group(1);
                assertTrue(typed.contains(name) || typed.contains(name.replaceAll("_(bucket|count|sum)$", "")),
                        "a sample before its TYPE line: " + line);
            } else {
                assertTrue(HELP.matcher(line).matches(), "not a line of the Prometheus text format: '" + line + "'");
            }
        }
        assertTrue(lines.size() > 50, "a realistic number of lines: " + lines.size());
    }

    @Test
    void theJvmBasicsAreThere() throws Exception {
        ChirpServer server = start();

        String metrics = get(server, "/metrics").body();

        for (String name : List.of("jvm_memory_used_bytes{", "jvm_threads_live_threads ",
                "jvm_gc_memory_allocated_bytes_total ", "jvm_classes_loaded_classes ", "process_uptime_seconds ",
                "system_cpu_count ")) {
            assertTrue(metrics.contains("\n" + name), "no " + name + " in:\n" + metrics);
        }
    }

    @Test
    void chirpCountersMoveWhenChirpsArePostedOrRefused() throws Exception {
        ChirpServer server = start();
        Visitor visitor = new Visitor(http, server.port());
        String before = get(server, "/metrics").body();

        visitor.postAccepted("one");
        visitor.postAccepted("two");
        assertEquals(400, visitor.post("   ").statusCode(), "a blank chirp is refused");
        assertEquals(400, visitor.post("x".repeat(300)).statusCode(), "a long chirp is refused");
        assertEquals(400, visitor.post("y".repeat(300)).statusCode(), "a long chirp is refused");
        String after = get(server, "/metrics").body();

        assertEquals(0.0, value(before, "chirp_chirps_accepted_total"), "none accepted at first");
        assertEquals(0.0, value(before, "chirp_chirps_rejected_total{reason=\"too_long\"}"),
                "every reason is there at zero");
        assertEquals(2.0, value(after, "chirp_chirps_accepted_total"));
        assertEquals(1.0, value(after, "chirp_chirps_rejected_total{reason=\"blank\"}"));
        assertEquals(2.0, value(after, "chirp_chirps_rejected_total{reason=\"too_long\"}"));
        assertEquals(0.0, value(after, "chirp_chirps_rejected_total{reason=\"rate_limited\"}"));
        assertEquals(2.0, value(after, "chirp_feed_chirps"), "chirps in the feed");
    }

    @Test
    void refusalsOfTheApiAreCountedByReason() throws Exception {
        ChirpServer server = start();
        HttpRequest.Builder post = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/api/chirps")).timeout(WAIT);

        send(post.copy().header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hi")));
        send(post.copy().header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{")));
        send(post.copy().header("Content-Type", "application/json").header("Origin", "http://elsewhere.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"chirp\": \"hi\"}")));
        send(post.copy().header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"chirp\": \"hi\"}")));
        String metrics = get(server, "/metrics").body();

        assertEquals(1.0, value(metrics, "chirp_chirps_rejected_total{reason=\"unsupported_type\"}"));
        assertEquals(1.0, value(metrics, "chirp_chirps_rejected_total{reason=\"malformed\"}"));
        assertEquals(1.0, value(metrics, "chirp_chirps_rejected_total{reason=\"cross_site\"}"));
        assertEquals(1.0, value(metrics, "chirp_chirps_accepted_total"));
    }

    @Test
    void openConnectionsAreCountedByTransportAndDeliveriesTimed() throws Exception {
        ChirpServer server = start();
        Visitor visitor = new Visitor(http, server.port());
        visitor.visit();
        String idle = get(server, "/metrics").body();

        try (SseClient stream = visitor.stream(); WsClient socket = visitor.socket()) {
            visitor.postAccepted("timed on its way");
            stream.awaitChirp("timed on its way", WAIT);
            socket.awaitFrame("timed on its way", WAIT);
            String busy = awaitMetric(server, "chirp_delivery_latency_seconds_count{transport=\"sse\"}");

            assertEquals(0.0, value(idle, "chirp_connections_open{transport=\"sse\"}"));
            assertEquals(0.0, value(idle, "chirp_connections_open{transport=\"ws\"}"));
            assertEquals(1.0, value(busy, "chirp_connections_open{transport=\"sse\"}"));
            assertEquals(1.0, value(busy, "chirp_connections_open{transport=\"ws\"}"));
            assertEquals(1.0, value(busy, "chirp_delivery_latency_seconds_count{transport=\"ws\"}"),
                    "one chirp handed to one socket");
            assertEquals(1.0, value(busy, "chirp_delivery_latency_seconds_bucket{transport=\"ws\",le=\"+Inf\"}"),
                    "the histogram's buckets");
            assertTrue(value(busy, "chirp_delivery_latency_seconds_bucket{transport=\"ws\",le=\"10.0\"}") == 1.0,
                    "a delivery within 10 s on this machine");
        }
    }

    @Test
    void dumpWritesAreTimed() throws Exception {
        ChirpServer server = start();
        new Visitor(http, server.port()).postAccepted("flush me");

        ((Timeline) server.feed().store()).flush();
        String metrics = get(server, "/metrics").body();

        assertEquals(1.0, value(metrics, "chirp_dump_flush_seconds_count{outcome=\"ok\"}"));
        assertEquals(0.0, value(metrics, "chirp_dump_flush_seconds_count{outcome=\"failed\"}"));
        assertTrue(value(metrics, "chirp_dump_flush_seconds_sum{outcome=\"ok\"}") > 0, "a write takes time");
    }

    @Test
    void anApplicationsOwnRegistryGetsTheChirpMetersAndNoEndpoint() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ChirpServer server = start(builder -> builder.meterRegistry(registry));

        new Visitor(http, server.port()).postAccepted("counted elsewhere");
        HttpResponse<String> metrics = get(server, "/metrics");

        assertEquals(404, metrics.statusCode(), "only a Prometheus registry is served");
        assertEquals(1.0, registry.get("chirp.chirps.accepted").counter().count());
        assertTrue(registry.find("jvm.memory.used").meters().isEmpty(), "the application binds the JVM's own meters");
        assertEquals(registry, server.meterRegistry());
        server.close();
        assertTrue(registry.find("chirp.connections.open").gauges().isEmpty(),
                "a closed server leaves no gauge behind in a registry that outlives it");
    }

    /** Returns the value of the sample written exactly as {@code series}, or fails. */
    static double value(String metrics, String series) {
        return find(metrics, series).orElseThrow(() -> new AssertionError("no sample " + series + " in:\n" + metrics));
    }

    private static OptionalDouble find(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return OptionalDouble.of(Double.parseDouble(line.substring(series.length() + 1).split(" ")[0]));
            }
        }
        return OptionalDouble.empty();
    }

    /** Scrapes until a series is above zero; deliveries are timed on the connections' threads. */
    private String awaitMetric(ChirpServer server, String series) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String metrics = get(server, "/metrics").body();
            if (find(metrics, series).orElse(0) > 0 || System.nanoTime() > deadline) {
                return metrics;
            }
            Thread.onSpinWait();
        }
    }

    private void send(HttpRequest.Builder request) throws Exception {
        http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    private HttpResponse<String> get(ChirpServer server, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(WAIT)
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private ChirpServer start() {
        return start(UnaryOperator.identity());
    }

    private ChirpServer start(UnaryOperator<ChirpServer.Builder> settings) {
        ChirpServer server = settings.apply(ChirpServer.builder()
                        .host("127.0.0.1")
                        .port(0)
                        .dumpPath(tempDir.resolve("chirps.dump"))
                        .noRateLimit())
                .build();
        servers.add(server);
        return server.start();
    }
}
