package dev.chirp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chirp.core.guard.RateLimit;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared failure cases, run against a real server. They live in the folder
 * {@code shared/cases} beside the repository's checkout, which CI provides; without it these
 * tests are skipped, or fail when the environment sets {@code CHIRP_REQUIRE_CASES=1}. The
 * same goes for the program that runs a case ({@code bash}, {@code node}) when it is not on
 * the {@code PATH}.
 */
class SharedCasesTest {

    private static final Duration LIMIT = Duration.ofSeconds(120);
    /** Stands for the server's base URL in a command; scripts also find it in {@code BASE}. */
    private static final String BASE_ARGUMENT = "{base}";
    private static final Duration SHORT_HEARTBEAT = Duration.ofSeconds(2);
    private static final Duration SHORT_WINDOW = Duration.ofSeconds(2);

    private static Path cases;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void findCases() {
        Optional<Path> found = casesFolder();
        if (found.isEmpty() && "1".equals(System.getenv("CHIRP_REQUIRE_CASES"))) {
            fail("CHIRP_REQUIRE_CASES=1 but no shared/cases folder was found beside any parent of "
                    + System.getProperty("user.dir"));
        }
        Assumptions.assumeTrue(found.isPresent(), "skipped: no shared/cases folder beside any"
                + " parent of " + System.getProperty("user.dir")
                + " (set CHIRP_REQUIRE_CASES=1 to make this a failure)");
        cases = found.get();
    }

    static Stream<Case> cases() {
        // The running JVM's own java, which runs a single source file since JDK 11.
        String java = ProcessHandle.current().info().command().orElse("java");
        return Stream.of(
                Case.of("C01-html-escaping.sh", "bash", "C01-html-escaping.sh"),
                Case.of("C03-ws-malformed-json.java", java, "C03-ws-malformed-json.java", BASE_ARGUMENT),
                Case.of("C04-oversize-input.java", java, "C04-oversize-input.java", BASE_ARGUMENT),
                Case.of("C05-cross-origin.sh", "bash", "C05-cross-origin.sh"),
                // The case needs the limit on; a short window keeps its waits for a new window short.
                Case.of("C06-ratelimit-key.java", java, "C06-ratelimit-key.java", BASE_ARGUMENT)
                        .with(builder -> builder.rateLimit(new RateLimit(5, SHORT_WINDOW))),
                Case.of("C07-sse-resume.mjs", "node", "C07-sse-resume.mjs"),
                Case.of("C10-ws-oob-contract.java", java, "C10-ws-oob-contract.java",
                        BASE_ARGUMENT),
                Case.of("C13-length-and-blank.sh", "bash", "C13-length-and-blank.sh"),
                Case.of("C15-handle-invisible-bidi.sh", "bash", "C15-handle-invisible-bidi.sh"),
                // The case listens for HEARTBEAT_S + 10 seconds; a short beat keeps it short.
                Case.of("C16-sse-proxy-heartbeat.sh", "bash", "C16-sse-proxy-heartbeat.sh")
                        .with("HEARTBEAT_S", Long.toString(SHORT_HEARTBEAT.toSeconds()))
                        .with(builder -> builder.heartbeat(SHORT_HEARTBEAT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void casePasses(Case script) throws Exception {
        String program = requireProgram(script.command().get(0));
        try (ChirpServer server = script.settings().apply(ChirpServer.builder()
                        .host("127.0.0.1")
                        .port(0)
                        .dumpPath(tempDir.resolve("chirps.dump"))
                        // The scripts post in bursts; with the limit on they would sit out 429s.
                        .noRateLimit())
                .build()
                .start()) {
            String base = "http://127.0.0.1:" + server.port();
            List<String> resolved = new ArrayList<>(List.of(program));
            script.command().stream().skip(1)
                    .map(part -> part.equals(BASE_ARGUMENT) ? base : part)
                    .forEach(resolved::add);

            Run run = run(resolved, base, script.environment());

            assertEquals(0, run.exitCode(),
                    () -> script + " exit code; its output:\n" + run.output());
            assertTrue(run.output().contains("PASS"),
                    () -> script + " did not print PASS; its output:\n" + run.output());
        }
    }

    /**
     * A case script: the command that runs it, with {@code {base}} for the server's base URL,
     * the environment it needs besides {@code BASE}, and the server settings it needs.
     */
    record Case(String script, List<String> command, Map<String, String> environment,
            UnaryOperator<ChirpServer.Builder> settings) {

        static Case of(String script, String... command) {
            return new Case(script, List.of(command), Map.of(), UnaryOperator.identity());
        }

        Case with(String variable, String value) {
            Map<String, String> more = new HashMap<>(environment);
            more.put(variable, value);
            return new Case(script, command, Map.copyOf(more), settings);
        }

        Case with(UnaryOperator<ChirpServer.Builder> more) {
            return new Case(script, command, environment,
                    builder -> more.apply(settings.apply(builder)));
        }

        @Override
        public String toString() {
            return script;
        }
    }

    private record Run(int exitCode, String output) {
    }

    private Run run(List<String> command, String base, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path output = tempDir.resolve("output.txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(cases.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("BASE", base);
        Process process = builder.start();
        if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail(command + " did not finish within " + LIMIT + "; its output:\n" + read(output));
        }
        return new Run(process.exitValue(), read(output));
    }

    private static String read(Path output) throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /**
     * Returns the program as found on the {@code PATH}, or an absolute one as given. A missing
     * one skips the case, or fails it when the environment sets {@code CHIRP_REQUIRE_CASES=1}.
     */
    private static String requireProgram(String program) {
        Optional<Path> found = Path.of(program).isAbsolute()
                ? Optional.of(Path.of(program)).filter(Files::isExecutable)
                : Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                        .filter(folder -> !folder.isEmpty())
                        .map(folder -> Path.of(folder, program))
                        .filter(Files::isExecutable)
                        .findFirst();
        if (found.isEmpty() && "1".equals(System.getenv("CHIRP_REQUIRE_CASES"))) {
            fail("CHIRP_REQUIRE_CASES=1 but " + program + " is not on the PATH");
        }
        Assumptions.assumeTrue(found.isPresent(), "skipped: " + program + " is not on the PATH"
                + " (set CHIRP_REQUIRE_CASES=1 to make this a failure)");
        return found.get().toString();
    }

    /** Walks up from the working folder to the first parent with a sibling {@code shared/cases}. */
    private static Optional<Path> casesFolder() {
        for (Path folder = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
                folder != null && folder.getParent() != null; folder = folder.getParent()) {
            Path candidate = folder.resolveSibling("shared").resolve("cases");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
