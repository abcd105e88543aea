package dev.chirp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chirp.core.guard.RateLimit;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page under attack, in headless Chromium: hostile chirps stay text and run nothing, the
 * page keeps to its Content-Security-Policy, and a refused chirp's reason shows. Needs Debian's
 * {@code chromium} and {@code chromedriver}; without them these tests are skipped, or fail when
 * the environment sets {@code CHIRP_REQUIRE_BROWSER=1}.
 */
class BrowserSecurityTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Each would set {@code window.pwned}, open a dialog, or rewrite the page if it ran. */
    private static final List<String> PAYLOADS = List.of(
            "<script>window.pwned = 'script'</script>",
            "<img src=x onerror=\"window.pwned = 'img'\">",
            "<svg onload=\"window.pwned = 'svg'\"></svg>",
            "\"><iframe srcdoc=\"<script>parent.pwned = 'iframe'</script>\"></iframe>",
            "<a href=\"javascript:window.pwned = 'link'\" id=\"pwn-link\">click</a>",
            "' onmouseover='window.pwned = \"quote\"",
            "<div hx-get=\"/\" hx-trigger=\"load\" hx-on::load=\"window.pwned = 'htmx'\">x</div>",
            "<ul id=\"feed\" hx-swap-oob=\"true\"></ul>",
            "<p id=\"chirp-error\" hx-swap-oob=\"true\">Your account is locked</p>",
            "<img src=x onerror=alert(1)>",
            "<xss1 a='b' c=\"d\">&amp;",
            "\u202Eevil reversed");

    @TempDir
    static Path profiles;

    private static ChromeDriver author;
    private static ChromeDriver reader;

    @TempDir
    Path tempDir;

    private ChirpServer server;

    @BeforeAll
    static void startBrowsers() throws IOException {
        Browsers.requireInstalled();
        author = Browsers.start(profiles, WAIT);
        reader = Browsers.start(profiles, WAIT);
    }

    @AfterAll
    static void stopBrowsers() {
        for (ChromeDriver browser : new ChromeDriver[] {author, reader}) {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    @AfterEach
    void closeServer() {
        for (ChromeDriver browser : new ChromeDriver[] {author, reader}) {
            if (browser != null) {
                dismissAnyAlert(browser);
                browser.get("about:blank");
            }
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void hostileChirpsShowAsTextAndRunNothing(Transport transport) throws Exception {
        start(transport);
        open(author);
        open(reader);

        for (String payload : PAYLOADS) {
            submit(author, payload);
            awaitText(author, payload);
        }
        awaitText(reader, PAYLOADS.get(PAYLOADS.size() - 1));
        // Hovering is what the quote-breaking payload waits for.
        for (WebElement text : reader.findElements(By.cssSelector("#feed li.chirp .text"))) {
            new Actions(reader).moveToElement(text).perform();
        }

        for (ChromeDriver browser : List.of(author, reader)) {
            String who = browser == author ? "the author's page" : "the reader's page";
            assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert(), "a dialog in " + who);
            assertEquals(null, browser.executeScript("return window.pwned === undefined ? null : window.pwned;"),
                    "a payload ran in " + who);
            assertEquals(List.of(), browser.findElements(By.cssSelector(
                    "#feed img, #feed svg, #feed script, #feed iframe, #feed a, #feed div, #feed xss1, #feed ul")),
                    "elements from chirps in " + who);
            assertEquals(PAYLOADS.size(), browser.findElements(By.cssSelector("#feed > li.chirp")).size(),
                    "chirps in the feed of " + who);
            for (String payload : PAYLOADS) {
                assertEquals(1, shownTexts(browser).stream().filter(payload::equals).count(),
                        "'" + payload + "' shown once, literally, in " + who + ": " + shownTexts(browser));
            }
            assertEquals("", textOf(browser, "chirp-error"), "the error area of " + who);
            assertEquals(List.of(), Browsers.policyViolations(browser), "policy violations in " + who);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void thePageKeepsToItsContentSecurityPolicyAndStaysLive(Transport transport) throws Exception {
        start(transport);
        open(author);
        open(reader);

        submit(author, "live under a strict policy");
        awaitText(reader, "live under a strict policy");
        submit(author, "x".repeat(281));
        awaitReason(author, "Chirp is 281 characters; the limit is 280.");

        for (ChromeDriver browser : List.of(author, reader)) {
            assertEquals(List.of(), Browsers.policyViolations(browser),
                    "policy violations in " + (browser == author ? "the author's page" : "the reader's page"));
        }
        assertEquals("x".repeat(281), (String) author.executeScript(
                "return document.getElementById('chirp-input').value;"), "the long text stays in the box");
        assertEquals(0, author.findElements(By.cssSelector("head style")).size(), "style elements in the head");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void aChirpOverTheRateLimitShowsTheReasonAndKeepsTheText(Transport transport) throws Exception {
        server = ChirpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .dumpPath(tempDir.resolve("chirps.dump"))
                .transports(Set.of(transport))
                .rateLimit(new RateLimit(1, Duration.ofMinutes(10)))
                .build()
                .start();
        open(author);

        submit(author, "the one allowed");
        awaitText(author, "the one allowed");
        submit(author, "one too many");

        new WebDriverWait(author, WAIT)
                .withMessage(() -> "no reason showed; the error area holds '" + textOf(author, "chirp-error") + "'")
                .until(page -> textOf(author, "chirp-error").trim().startsWith("You are chirping too fast; try again in "));
        assertEquals("one too many", (String) author.executeScript(
                "return document.getElementById('chirp-input').value;"), "the refused text stays in the box");
        assertEquals(List.of("the one allowed"), shownTexts(author), "the feed");
    }

    private void start(Transport transport) {
        server = ChirpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .dumpPath(tempDir.resolve("chirps.dump"))
                .transports(Set.of(transport))
                // One browser posts many payloads from 127.0.0.1; the limit is not under test.
                .noRateLimit()
                .build()
                .start();
    }

    private void open(ChromeDriver browser) {
        browser.get("http://127.0.0.1:" + server.port() + "/");
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "the page never opened its live connection" + Browsers.connectionLog(browser))
                .until(page -> Browsers.connectionsOpened(browser) > 0);
    }

    private static void submit(ChromeDriver browser, String text) {
        // Typed through a script: sendKeys cannot type every character, such as U+202E.
        WebElement input = browser.findElement(By.id("chirp-input"));
        browser.executeScript("arguments[0].value = arguments[1];", input, text);
        browser.findElement(By.cssSelector("#compose button[type=submit]")).click();
    }

    private static void awaitText(ChromeDriver browser, String text) {
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "'" + text + "' never showed: " + shownTexts(browser)
                        + "; error area: " + textOf(browser, "chirp-error"))
                .until(page -> shownTexts(browser).contains(text));
    }

    private static void awaitReason(ChromeDriver browser, String reason) {
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "the reason never showed; the error area holds '"
                        + textOf(browser, "chirp-error") + "'")
                .until(page -> textOf(browser, "chirp-error").trim().equals(reason));
    }

    @SuppressWarnings("unchecked")
    private static List<String> shownTexts(ChromeDriver browser) {
        return (List<String>) browser.executeScript("return Array.from("
                + "document.querySelectorAll('#feed li.chirp .text')).map(function (t) { return t.textContent; });");
    }

    private static String textOf(ChromeDriver browser, String id) {
        return (String) browser.executeScript("return document.getElementById(arguments[0]).textContent;", id);
    }

    private static void dismissAnyAlert(ChromeDriver browser) {
        try {
            browser.switchTo().alert().dismiss();
        } catch (NoAlertPresentException e) {
            // The usual case.
        }
    }
}
