package dev.chirp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    /** A default read from a Chirp environment variable, with or without a fallback. */
    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:(CHIRP_[A-Z_]+)(?::-(.*))?}");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    private static CommandLine.Model.CommandSpec serveSpecUninterpolated() {
        return Main.commandLine().getSubcommands().get("serve").getCommandSpec().interpolateVariables(false);
    }

    /** The lines of {@code help} that describe {@code flag}, up to the next option. */
    private static String optionBlock(String help, String flag) {
        Matcher start = Pattern.compile(" " + Pattern.quote(flag) + "[=\\[\\s]").matcher(help);
        assertTrue(start.find(), () -> flag + " missing from help:\n" + help);
        int at = start.start();
        Matcher next = Pattern.compile("\n\\s+(-\\w, )?--").matcher(help);
        int end = next.find(at) ? next.start() : help.length();
        return help.substring(at, end);
    }

    @Test
    void serveHelpShowsEveryFlagWithItsDefaultAndEnvironmentVariable() {
        int status = run("serve", "--help");

        String help = out.toString();
        assertEquals(0, status, err.toString());
        String[][] flags = {
            {"--port", "4080", "CHIRP_PORT"},
            {"--dump-path", "./chirps.dump", "CHIRP_DUMP_PATH"},
            {"--redis", "off", "CHIRP_REDIS"},
            {"--redis-prefix", "chirp", "CHIRP_REDIS_PREFIX"},
            {"--transport", "both", "CHIRP_TRANSPORT"},
            {"--max-chirps", "100", "CHIRP_MAX_CHIRPS"},
            {"--max-length", "280", "CHIRP_MAX_LENGTH"},
            {"--flush-every", "10s", "CHIRP_FLUSH_EVERY"},
            {"--rate-limit", "5/10s", "CHIRP_RATE_LIMIT"},
            {"--clear-every", "off", "CHIRP_CLEAR_EVERY"},
            {"--heartbeat", "15s", "CHIRP_HEARTBEAT"},
            {"--reap-after", "60s", "CHIRP_REAP_AFTER"},
            {"--client-buffer", "256k", "CHIRP_CLIENT_BUFFER"},
            {"--max-connections", "auto", "CHIRP_MAX_CONNECTIONS"},
            {"--allowed-origin", "[]", "CHIRP_ALLOWED_ORIGINS"},
            {"--trusted-proxy", "[]", "CHIRP_TRUSTED_PROXIES"},
        };
        for (String[] flag : flags) {
            int at = help.indexOf("\n      " + flag[0] + "=");
            assertTrue(at >= 0, () -> flag[0] + " missing from help:\n" + help);
            int next = help.indexOf("\n      --", at + 1);
            String block = help.substring(at, next < 0 ? help.length() : next);
            assertTrue(block.contains("Default: " + flag[1]), () -> flag[0] + " lacks its default:\n" + block);
            assertTrue(block.replaceAll("\\s+", " ").contains("Env: " + flag[2]),
                    () -> flag[0] + " lacks its environment variable:\n" + block);
        }
        assertTrue(help.contains("Exit codes:"), () -> "help lists no exit codes:\n" + help);
    }

    @Test
    void everyServeOptionReadsAChirpEnvironmentVariableAndShowsItAndItsDefault() {
        CommandLine serve = Main.commandLine().getSubcommands().get("serve");
        StringWriter help = new StringWriter();
        serve.usage(new PrintWriter(help, true), CommandLine.Help.Ansi.OFF);
        // As written in the source, before picocli resolves the ${env:...} variables.
        List<CommandLine.Model.OptionSpec> options = serveSpecUninterpolated().options().stream()
                .filter(option -> !option.usageHelp() && !option.versionHelp())
                .toList();

        assertTrue(options.size() >= 13, () -> "serve has too few options to be the real command: " + options);
        for (CommandLine.Model.OptionSpec option : options) {
            String flag = option.longestName();
            String defaultValue = String.valueOf(option.defaultValue());
            Matcher reads = ENV_DEFAULT.matcher(defaultValue);
            assertTrue(reads.matches(), () -> flag + " is not read from a CHIRP_ variable; its default value is "
                    + defaultValue);
            String env = reads.group(1);
            // Named after the flag; a repeatable flag's variable may be plural.
            String stem = "CHIRP_" + flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
            assertTrue(env.startsWith(stem.substring(0, stem.length() - 1)),
                    () -> flag + " reads " + env + ", which is not named after it");
            String description = String.join(" ", option.description());
            assertTrue(description.contains("Env: " + env),
                    () -> flag + " does not name " + env + " in its description: " + description);
            String block = optionBlock(help.toString(), flag);
            // The innermost fallback, such as 4080 in ${env:CHIRP_PORT:-${env:PORT:-4080}}.
            String fallback = reads.group(2) == null ? ""
                    : reads.group(2).replaceAll("\\$\\{env:[A-Z_]+:-", "").replace("}", "");
            assertTrue(block.contains("Default: " + fallback),
                    () -> flag + " does not show its default " + fallback + " in help:\n" + block);
        }
    }

    @Test
    void versionNamesTheCommand() {
        int status = run("--version");

        assertEquals(0, status);
        assertTrue(out.toString().startsWith("chirp "), () -> "version output: " + out);
    }

    @Test
    void portFallsBackToThePortVariableThatHostingPlatformsSet() {
        CommandLine.Model.OptionSpec port = serveSpecUninterpolated().findOption("--port");

        assertEquals("${env:CHIRP_PORT:-${env:PORT:-4080}}", port.defaultValue());
    }

    @Test
    void badPortIsAUsageErrorThatQuotesTheValue() {
        int status = run("serve", "--port", "abc");

        assertEquals(2, status);
        assertEquals("chirp: Invalid value for option '--port': 'abc' is not an int\n"
                + "Try 'chirp serve --help' for more.\n", err.toString());
    }

    @Test
    void redisAddressThatIsNotRedisIsAUsageErrorThatQuotesIt() {
        int status = run("serve", "--port", "0", "--redis", "http://127.0.0.1:6379");

        assertEquals(2, status);
        assertEquals("chirp: Invalid value for option '--redis': 'http://127.0.0.1:6379' should be a Redis address "
                + "such as redis://127.0.0.1:6379, or off\nTry 'chirp serve --help' for more.\n", err.toString());
    }

    @Test
    void unknownTransportIsAUsageErrorThatListsTheChoices() {
        int status = run("serve", "--transport", "carrier-pigeon");

        assertEquals(2, status);
        assertTrue(err.toString().startsWith("chirp: Invalid value for option '--transport': expected one of "
                + "[SSE, WS, BOTH] (case-insensitive) but was 'carrier-pigeon'"), err::toString);
    }

    @Test
    void malformedRateLimitIsAUsageError() {
        int status = run("serve", "--rate-limit", "five");

        assertEquals(2, status);
        assertEquals("chirp: Invalid value for option '--rate-limit': rate limit 'five' should look like 5/10s, "
                + "or off\nTry 'chirp serve --help' for more.\n", err.toString());
    }

    @Test
    void zeroFlushIntervalIsAUsageError() {
        int status = run("serve", "--flush-every", "0s");

        assertEquals(2, status);
        assertTrue(err.toString().startsWith("chirp: Invalid value for option '--flush-every': '0s' must be "
                + "longer than zero"), err::toString);
    }

    @Test
    void tooSmallClientBufferIsAUsageError() {
        int status = run("serve", "--client-buffer", "12");

        assertEquals(2, status);
        assertTrue(err.toString().startsWith("chirp: Invalid value for option '--client-buffer': '12' should be "
                + "a size of at least 1024 bytes, such as 262144, 256k or 1m"), err::toString);
    }

    @Test
    void maxConnectionsMustBeAPositiveNumberOrAuto() {
        int status = run("serve", "--max-connections", "0");

        assertEquals(2, status);
        assertEquals("chirp: Invalid value for option '--max-connections': '0' should be a whole number of at "
                + "least 1, or auto\nTry 'chirp serve --help' for more.\n", err.toString());
    }

    @Test
    void aMalformedAllowedOriginIsAUsageErrorThatQuotesIt() {
        int status = run("serve", "--allowed-origin", "chirp.example");

        assertEquals(2, status);
        assertEquals("chirp: Invalid value for option '--allowed-origin': allowed origin 'chirp.example' should look "
                + "like https://chirp.example or http://localhost:4080\nTry 'chirp serve --help' for more.\n",
                err.toString());
    }

    @Test
    void aMalformedTrustedProxyIsAUsageErrorThatQuotesIt() {
        int status = run("serve", "--trusted-proxy", "127.0.0.1,proxy.example");

        assertEquals(2, status);
        assertEquals("chirp: Invalid value for option '--trusted-proxy': trusted proxy 'proxy.example' should be an "
                + "IP address such as 127.0.0.1 or a range such as 10.0.0.0/8\nTry 'chirp serve --help' for more.\n",
                err.toString());
    }

    @Test
    void helpNamesTheSecurityFlags() {
        run("serve", "--help");

        String help = out.toString().replaceAll("\\s+", " ");
        for (String flag : new String[] {"--secret-file=FILE", "CHIRP_SECRET_FILE", "CHIRP_SECRET,",
            "--secure-cookies", "CHIRP_SECURE_COOKIES"}) {
            assertTrue(help.contains(flag), () -> flag + " missing from help:\n" + out);
        }
    }

    @Test
    void missingDumpFolderStopsStartUpWithOneLineNamingThePath() {
        int status = run("serve", "--port", "0", "--dump-path", "/no/such/folder/chirps.dump");

        assertEquals(1, status);
        assertEquals("chirp: dump path /no/such/folder/chirps.dump: folder /no/such/folder does not exist\n",
                err.toString());
    }

    @Test
    void tailAndPostHelpListTheirExitCodesAndTheUrlDefault() {
        int tail = run("tail", "--help");
        String tailHelp = out.toString();
        out.getBuffer().setLength(0);
        int post = run("post", "--help");
        String postHelp = out.toString();

        assertEquals(0, tail, err.toString());
        assertEquals(0, post, err.toString());
        assertTrue(tailHelp.contains("Default: http://localhost:4080") && tailHelp.contains("CHIRP_URL"), tailHelp);
        assertTrue(tailHelp.contains("Exit codes:") && tailHelp.contains("130"), tailHelp);
        assertTrue(postHelp.contains("Exit codes:"), postHelp);
        for (String code : new String[] {"0", "1", "2", "3", "4"}) {
            assertTrue(postHelp.contains("\n  " + code + "   "),
                    () -> "post's exit code " + code + ":\n" + postHelp);
        }
    }

    @Test
    void aUrlThatIsNotHttpIsABadFlag() {
        int status = run("post", "--url", "localhost:4080", "hello");

        assertEquals(2, status);
        assertTrue(err.toString().startsWith("chirp: Invalid value for option '--url': 'localhost:4080' should be "
                + "the address of a Chirp server, such as http://localhost:4080"), err.toString());
    }
}
