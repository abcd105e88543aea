package dev.chirp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Two people in headless Chromium, each with a browser of their own and so a handle of their
 * own, using the page over each transport in turn. Needs Debian's {@code chromium} and
 * {@code chromedriver}; without them these tests are skipped, or fail when the environment
 * sets {@code CHIRP_REQUIRE_BROWSER=1}.
 */
class BrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CHIRP_AUTHOR = "calmotter7";
    private static final String SHOWN_CHIRPS =
            "return Array.from(document.querySelectorAll('#feed li.chirp')).map(function (li) {"
                    + " return [li.id, li.querySelector('.handle').textContent,"
                    + " li.querySelector('.text').textContent]; });";

    @TempDir
    static Path profiles;

    private static ChromeDriver alice;
    private static ChromeDriver bob;

    @TempDir
    Path tempDir;

    private ChirpServer server;

    @BeforeAll
    static void startBrowsers() throws IOException {
        Browsers.requireInstalled();
        alice = Browsers.start(profiles, WAIT);
        bob = Browsers.start(profiles, WAIT);
    }

    @AfterAll
    static void stopBrowsers() {
        for (ChromeDriver browser : new ChromeDriver[] {alice, bob}) {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    @AfterEach
    void closeServer() {
        for (ChromeDriver browser : new ChromeDriver[] {alice, bob}) {
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
    void chirpTypedInOnePageAppearsOnceInBothUnderItsAuthor(Transport transport) throws Exception {
        start(transport);
        open(alice);
        open(bob);
        String author = handleShownIn(alice);

        submit(alice, "hello from the first window");
        awaitChirp(alice, "hello from the first window");
        awaitChirp(bob, "hello from the first window");
        screenshot(bob, "chirp-" + transport.flag() + ".png");
        fence();

        for (ChromeDriver browser : List.of(alice, bob)) {
            List<Shown> shown = shownWithText(browser, "hello from the first window");
            assertEquals(1, shown.size(), "copies in " + name(browser) + ": " + shown(browser));
            assertEquals("@" + author, shown.get(0).handle(), "the author in " + name(browser));
        }
        awaitEmptyComposeBox(alice);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void markupInAChirpShowsAsTextAndRunsNothing(Transport transport) throws Exception {
        start(transport);
        open(alice);
        open(bob);

        submit(alice, "<img src=x onerror=alert(1)>");
        awaitChirp(bob, "<img src=x onerror=alert(1)>");
        fence();

        for (ChromeDriver browser : List.of(alice, bob)) {
            assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert(),
                    "an alert opened in " + name(browser));
            assertEquals(List.of(), browser.findElements(By.cssSelector("#feed img")),
                    "img elements in the feed of " + name(browser));
            assertEquals(1, shownWithText(browser, "<img src=x onerror=alert(1)>").size(),
                    "the markup as literal text in " + name(browser) + ": " + shown(browser));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void rejectedChirpShowsTheReasonAndKeepsTheText(Transport transport) throws Exception {
        start(transport);
        open(alice);
        String tooLong = "x".repeat(281);

        submit(alice, "   ");
        awaitReason(alice, "Chirp is empty.");
        String blankKept = composeValue(alice);
        submit(alice, tooLong);
        awaitReason(alice, "Chirp is 281 characters; the limit is 280.");
        fence();

        assertEquals("   ", blankKept, "the blank text stays in the box");
        assertEquals(tooLong, composeValue(alice), "the long text stays in the box");
        assertEquals("281 / 280", textOf(alice, "chirp-count"), "the length counter");
        assertEquals(List.of("fence"), shown(alice).stream().map(Shown::text).toList(),
                "the feed holds no rejected chirp");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void acceptedChirpClearsAnEarlierReason(Transport transport) throws Exception {
        start(transport);
        open(alice);
        submit(alice, "   ");
        awaitReason(alice, "Chirp is empty.");

        submit(alice, "fixed it");
        awaitChirp(alice, "fixed it");

        new WebDriverWait(alice, WAIT)
                .withMessage(() -> "the reason still shows: " + reasonShownIn(alice))
                .until(page -> reasonShownIn(alice).isEmpty());
        awaitEmptyComposeBox(alice);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void reloadedPageShowsEachChirpOnce(Transport transport) throws Exception {
        start(transport);
        for (String text : List.of("one", "two", "three")) {
            postDirectly(text);
        }
        open(alice);

        alice.navigate().refresh();
        awaitConnected(alice);
        fence();

        List<Shown> shown = shown(alice);
        assertEquals(List.of("fence", "three", "two", "one"),
                shown.stream().map(Shown::text).toList(), "the feed after a reload");
        assertEquals(shown.size(), shown.stream().map(Shown::id).collect(Collectors.toSet()).size(),
                "each chirp's id once: " + shown);
    }

    /** A chirp as a page shows it: its element's id, and its handle and text as read. */
    private record Shown(String id, String handle, String text) {
    }

    private void start(Transport transport) {
        server = ChirpServer.builder()
                .host("127.0.0.1")
                .port(0)
                .dumpPath(tempDir.resolve("chirps.dump"))
                .transports(Set.of(transport))
                // Every browser posts from 127.0.0.1; the limit is not what these tests are about.
                .noRateLimit()
                .build()
                .start();
    }

    /** Opens the page and waits until its live connection is open. */
    private void open(ChromeDriver browser) {
        browser.get("http://127.0.0.1:" + server.port() + "/");
        awaitConnected(browser);
    }

    private static void awaitConnected(ChromeDriver browser) {
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> name(browser) + " never opened its live connection")
                .until(page -> Browsers.connectionsOpened(browser) > 0);
    }

    /** Posts a chirp from outside the pages, under a handle neither window has. */
    private void postDirectly(String text) throws Exception {
        server.feed().store().post(CHIRP_AUTHOR, text).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static void submit(ChromeDriver browser, String text) {
        WebElement input = browser.findElement(By.id("chirp-input"));
        input.clear();
        input.sendKeys(text);
        browser.findElement(By.cssSelector("#compose button[type=submit]")).click();
    }

    /**
     * Posts a chirp from outside the pages and waits until every open page shows it: whatever
     * was on its way to a page before then has arrived.
     */
    private void fence() throws Exception {
        postDirectly("fence");
        for (ChromeDriver browser : List.of(alice, bob)) {
            if (browser.getCurrentUrl().startsWith("http://127.0.0.1:" + server.port())) {
                awaitChirp(browser, "fence");
            }
        }
    }

    private static void awaitChirp(ChromeDriver browser, String text) {
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "'" + text + "' never showed in " + name(browser) + ": "
                        + shown(browser))
                .until(page -> !shownWithText(browser, text).isEmpty());
    }

    private static void awaitReason(ChromeDriver browser, String reason) {
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "the reason '" + reason + "' never showed; the error area holds"
                        + " '" + reasonShownIn(browser) + "'")
                .until(page -> reasonShownIn(browser).equals(reason));
    }

    /** Waits for the compose box to empty, which an accepted chirp's answer does. */
    private static void awaitEmptyComposeBox(ChromeDriver browser) {
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "the compose box still holds '" + composeValue(browser) + "'")
                .until(page -> composeValue(browser).isEmpty());
    }

    private static String reasonShownIn(ChromeDriver browser) {
        return textOf(browser, "chirp-error").trim();
    }

    // Read in one script each, not through element references: htmx swaps these elements.
    private static String textOf(ChromeDriver browser, String id) {
        return (String) browser.executeScript(
                "return document.getElementById(arguments[0]).textContent;", id);
    }

    private static String composeValue(ChromeDriver browser) {
        return (String) browser.executeScript(
                "return document.getElementById('chirp-input').value;");
    }

    private static String handleShownIn(ChromeDriver browser) {
        String shown = browser.findElement(By.cssSelector(".whoami .handle")).getText();
        assertTrue(shown.startsWith("@"), "the page names its visitor: " + shown);
        return shown.substring(1);
    }

    @SuppressWarnings("unchecked")
    private static List<Shown> shown(ChromeDriver browser) {
        List<List<String>> rows = (List<List<String>>) browser.executeScript(SHOWN_CHIRPS);
        if (rows == null) {
            throw new AssertionError("cannot read the feed of " + name(browser) + "; alert open?");
        }
        return rows.stream().map(row -> new Shown(row.get(0), row.get(1), row.get(2))).toList();
    }

    private static List<Shown> shownWithText(ChromeDriver browser, String text) {
        return shown(browser).stream().filter(chirp -> chirp.text().equals(text)).toList();
    }

    private static void screenshot(ChromeDriver browser, String fileName) throws IOException {
        Path folder = Files.createDirectories(Path.of("target", "screenshots"));
        Path taken = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(taken, folder.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Keeps an alert a failed test left open from breaking the tests after it. */
    private static void dismissAnyAlert(ChromeDriver browser) {
        try {
            browser.switchTo().alert().dismiss();
        } catch (NoAlertPresentException e) {
            // The usual case.
        }
    }

    private static String name(ChromeDriver browser) {
        return browser == alice ? "the first window" : "the second window";
    }
}
