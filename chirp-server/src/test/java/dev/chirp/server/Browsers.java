package dev.chirp.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium for the browser tests. Every page it opens counts how often its
 * live connection opened ({@code htmx:wsOpen}, {@code htmx:sseOpen}) and dropped or failed
 * to open ({@code htmx:wsClose}, {@code htmx:sseError}), and keeps a log of those events and
 * of the address of each new connection for failure messages, and every violation of its
 * Content-Security-Policy; all start afresh when a page loads.
 */
final class Browsers {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    // Runs in every page before its own scripts, so no connection event is missed. The
    // constructors are wrapped, not replaced, only to note the address of each new connection.
    private static final String WATCH_CONNECTIONS = String.join("\n",
            "window.chirpOpened = 0;",
            "window.chirpDropped = 0;",
            "window.chirpLog = [];",
            "window.chirpViolations = [];",
            "document.addEventListener('securitypolicyviolation', function (e) {",
            "  window.chirpViolations.push(e.violatedDirective + ' blocked ' + e.blockedURI"
                    + " + ' at ' + e.sourceFile + ':' + e.lineNumber);",
            "});",
            "function chirpNote(entry) {",
            "  window.chirpLog.push(Math.round(performance.now()) + ' ms: ' + entry);",
            "}",
            "['EventSource', 'WebSocket'].forEach(function (type) {",
            "  window[type] = new Proxy(window[type], { construct: function (target, args) {",
            "    chirpNote('new ' + type + ' ' + args[0]);",
            "    return Reflect.construct(target, args);",
            "  } });",
            "});",
            "['htmx:wsOpen', 'htmx:sseOpen'].forEach(function (name) {",
            "  document.addEventListener(name, function () {",
            "    window.chirpOpened++;",
            "    chirpNote(name);",
            "  });",
            "});",
            "document.addEventListener('htmx:wsClose', function (e) {",
            "  window.chirpDropped++;",
            "  chirpNote('htmx:wsClose, code ' + e.detail.event.code);",
            "});",
            "document.addEventListener('htmx:sseError', function (e) {",
            "  window.chirpDropped++;",
            "  chirpNote('htmx:sseError, readyState ' + e.detail.source.readyState);",
            "});");

    private Browsers() {
    }

    /**
     * Skips the calling tests when Chromium or its driver is missing, or fails them when the
     * environment sets {@code CHIRP_REQUIRE_BROWSER=1}.
     */
    static void requireInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "1".equals(System.getenv("CHIRP_REQUIRE_BROWSER"))) {
            fail("CHIRP_REQUIRE_BROWSER=1 but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
        }
        Assumptions.assumeTrue(installed, "skipped: " + CHROMIUM + " or " + CHROMEDRIVER
                + " is missing (apt-get install chromium chromium-driver;"
                + " CHIRP_REQUIRE_BROWSER=1 makes this a failure)");
    }

    /**
     * Starts a headless Chromium with a profile of its own.
     *
     * @param profiles the folder that receives the profile
     * @param wait how long a page load or a script may take
     */
    static ChromeDriver start(Path profiles, Duration wait) throws IOException {
        // Both paths are given, so Selenium Manager has nothing to look up or download.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=900,800",
                "--user-data-dir=" + Files.createTempDirectory(profiles, "chromium-"));
        // Leave any alert open, so that a test can find it instead of the driver dismissing it.
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(wait).scriptTimeout(wait);
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", WATCH_CONNECTIONS));
        return browser;
    }

    /** Returns how many times the page has opened its live connection since it loaded. */
    static int connectionsOpened(ChromeDriver browser) {
        return count(browser, "chirpOpened");
    }

    /**
     * Returns how many times, since the page loaded, its live connection dropped or an attempt
     * to open it failed.
     */
    static int connectionsDropped(ChromeDriver browser) {
        return count(browser, "chirpDropped");
    }

    /**
     * Returns what the page's Content-Security-Policy blocked since it loaded, one entry per
     * violation; empty when the page keeps to its policy.
     */
    @SuppressWarnings("unchecked")
    static java.util.List<String> policyViolations(ChromeDriver browser) {
        Object violations = browser.executeScript("return window.chirpViolations || [];");
        return (java.util.List<String>) violations;
    }

    /** Returns the page's connection events so far, one per line, for a failure message. */
    static String connectionLog(ChromeDriver browser) {
        Object log = browser.executeScript("return (window.chirpLog || []).join('\\n');");
        return "\nconnection log of the page:\n" + log;
    }

    private static int count(ChromeDriver browser, String variable) {
        Object count = browser.executeScript("return window[arguments[0]] || 0;", variable);
        return ((Number) count).intValue();
    }
}
