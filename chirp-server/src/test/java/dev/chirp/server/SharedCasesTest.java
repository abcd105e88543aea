package dev.chirp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared failure cases, run against a real server. They live in the folder
 * {@code shared/cases} beside the repository's checkout, which CI provides; without it these
 * tests are skipped, or fail when the environment sets {@code CHIRP_REQUIRE_CASES=1}.
 */
class SharedCasesTest {

    private static final Duration LIMIT = Duration.ofSeconds(120);
    /** Stands for the server's base URL in a command; scripts also find it in {@code BASE}. */
    private static final String BASE_ARGUMENT = "{base}";

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

    static Stream<Arguments> scripts() {
        // The running JVM's own java, which runs a single source file since JDK 11.
        String java = ProcessHandle.current().info().command().orElse("java");
        return Stream.of(
                Arguments.of("C01-html-escaping.sh", List.of("bash", "C01-html-escaping.sh")),
                Arguments.of("C13-length-and-blank.sh", List.of("bash", "C13-length-and-blank.sh")),
                Arguments.of("C10-ws-oob-contract.java",
                        List.of(java, "C10-ws-oob-contract.java", BASE_ARGUMENT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void casePasses(String script, List<String> command) throws Exception {
        try (ChirpServer server = ChirpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .dumpPath(tempDir.resolve("chirps.dump"))
                // The scripts post in bursts; with the limit on they would sit out 429 waits.
                .noRateLimit()
                .build()
                .start()) {
            String base = "http://127.0.0.1:" + server.port();
            List<String> resolved =
                    command.stream().map(part -> part.equals(BASE_ARGUMENT) ? base : part).toList();

            Run run = run(resolved, base);

            assertEquals(0, run.exitCode(),
                    () -> script + " exit code; its output:\n" + run.output());
            assertTrue(run.output().contains("PASS"),
                    () -> script + " did not print PASS; its output:\n" + run.output());
        }
    }

    private record Run(int exitCode, String output) {
    }

    private Run run(List<String> command, String base) throws IOException, InterruptedException {
        Path output = tempDir.resolve("output.txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(cases.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
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
