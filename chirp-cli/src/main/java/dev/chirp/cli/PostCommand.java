package dev.chirp.cli;

import dev.chirp.core.Chirp;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chirp post}: posts one chirp through {@code POST /api/chirps} and prints it as the
 * server stored it. A refusal prints the server's own message and ends with an exit code that
 * tells a script whether trying again later may help.
 */
@Command(name = "post",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Posts one chirp to a running Chirp and prints it as stored.",
        showDefaultValues = true,
        sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:posted",
            "1:could not reach the server, or its answer was not Chirp's (the message says why)",
            "2:bad flags or arguments",
            "3:the server refused the chirp, such as blank or too long (its message says why)",
            "4:the server is busy, shutting down or over the rate limit; try again later"})
final class PostCommand implements Callable<Integer> {

    static final int REFUSED = 3;
    static final int TRY_LATER = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", defaultValue = "${env:CHIRP_URL:-http://localhost:4080}", paramLabel = "URL",
            converter = ServerUrl.class, description = "Address of the Chirp server. Env: CHIRP_URL.")
    private URI url;

    @Option(names = "--json", description = "Print the stored chirp as JSON, {\"id\", \"handle\", \"text\", \"at\"}.")
    private boolean json;

    @Option(names = "--color", defaultValue = "auto", paramLabel = "auto|always|never",
            description = "Colour the output: auto colours a terminal unless NO_COLOR is set or TERM is dumb.")
    private TerminalStyle.When color;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "The chirp; several words are joined with spaces.")
    private List<String> words;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        URI route = ServerUrl.resolve(url, "/api/chirps");
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
        // Limitation: no identity cookie is kept between runs, so each post gets a new handle.
        HttpRequest request = HttpRequest.newBuilder(route)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(ChirpJson.post(String.join(" ", words))))
                .build();

        HttpResponse<String> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("could not reach " + url + ": " + ServerUrl.unreachable(e), e);
        }

        int status = answer.statusCode();
        if (status == 201) {
            Chirp chirp = stored(answer.body(), route);
            boolean colours = TerminalStyle.wantsColours(color, System.getenv(), TerminalStyle.stdoutIsTerminal());
            out.println(json ? answer.body() : new TerminalStyle(colours, ZoneId.systemDefault()).format(chirp));
            return 0;
        }
        Optional<String> message = ChirpJson.error(answer.body());
        if (message.isEmpty()) {
            throw new IllegalStateException(route + " answered HTTP " + status + " without a Chirp error: "
                    + ChirpJson.shorten(answer.body()));
        }
        // A rate limit's message already says how long to wait; a busy server's does not.
        String retryAfter = status != 503 ? "" : answer.headers().firstValue("retry-after")
                .map(seconds -> " (retry after " + seconds + " s)").orElse("");
        err.println("chirp: " + message.get() + retryAfter);
        return status == 429 || status == 503 ? TRY_LATER : REFUSED;
    }

    private static Chirp stored(String body, URI route) {
        try {
            return ChirpJson.chirp(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(route + " answered 201 with something that is " + e.getMessage(), e);
        }
    }
}
