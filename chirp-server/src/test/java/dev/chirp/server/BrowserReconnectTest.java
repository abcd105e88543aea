package dev.chirp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One page in headless Chromium that stays open while the server restarts on the same port
 * and dump: it reconnects on its own, resumes after the newest chirp it shows, and ends up
 * showing the server's feed, each chirp once. Over each transport in turn; needs Debian's
 * {@code chromium} and {@code chromedriver} like {@link BrowserTest}.
 */
class BrowserReconnectTest {

    // Generous: a WebSocket page waits a random delay, doubling after each failed attempt.
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String AUTHOR = "calmotter7";
    private static final String SHOWN_CHIRPS =
            "return Array.from(document.querySelectorAll('#feed li')).map(function (li) {"
                    + " return [li.id, li.querySelector('.text').textContent]; });";

    @TempDir
    static Path profiles;

    private static ChromeDriver browser;

    @TempDir
    Path tempDir;

    private ChirpServer server;

    @BeforeAll
    static void startBrowser() throws IOException {
        Browsers.requireInstalled();
        browser = Browsers.start(profiles, WAIT);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @AfterEach
    void closeServer() {
        if (browser != null) {
            browser.get("about:blank");
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void pageThatLivesThroughARestartShowsEveryChirpOnceNewestFirst(Transport transport)
            throws Exception {
        start(transport, UnaryOperator.identity());
        open();
        post(server, "one", "two", "three");
        awaitShown("three");

        // Flushed by close(); the page may or may not get them before its stream ends.
        postWithoutWaiting("four", "five");
        restart(transport, UnaryOperator.identity(), "six", "seven");
        awaitConnections(2);
        post(server, "eight", "nine");
        awaitShown("nine");

        List<Shown> shown = shown();
        assertEquals(feedIds(), ids(shown), "the page's chirps against the server's feed"
                + Browsers.connectionLog(browser));
        assertEquals(List.of("nine", "eight", "seven", "six", "five", "four", "three", "two",
                "one"), texts(shown), "the page's feed, newest first");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void pageWhoseNewestChirpLeftTheFeedShowsExactlyTheFeedAfterReconnecting(Transport transport)
            throws Exception {
        UnaryOperator<ChirpServer.Builder> smallFeed = builder -> builder.maxChirps(5);
        start(transport, smallFeed);
        open();
        post(server, "one", "two", "three");
        awaitShown("three");

        restart(transport, smallFeed, "four", "five", "six", "seven", "eight", "nine", "ten");
        awaitConnections(2);
        awaitShown("ten");

        List<Shown> shown = shown();
        assertEquals(feedIds(), ids(shown), "the page's chirps against the server's feed"
                + Browsers.connectionLog(browser));
        assertEquals(List.of("ten", "nine", "eight", "seven", "six"), texts(shown),
                "the page's feed, replaced by the server's five");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void pageReconnectsByItselfWhenItsFirstAttemptsFindNoServer(Transport transport)
            throws Exception {
        start(transport, UnaryOperator.identity());
        open();
        post(server, "before");
        awaitShown("before");
        browser.executeScript("window.chirpSamePage = true;");

        int port = server.port();
        server.close();
        // The stream's end counts once; only a further drop is a failed attempt to reconnect.
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "the page never tried to reconnect to the stopped server"
                        + Browsers.connectionLog(browser))
                .until(page -> Browsers.connectionsDropped(browser) >= 2);
        startAgain(() -> build(transport, UnaryOperator.identity(), port), "while away");
        awaitConnections(2);
        post(server, "after");
        awaitShown("after");

        assertEquals(Boolean.TRUE, browser.executeScript("return window.chirpSamePage === true;"),
                "the page reconnected without being reloaded");
        assertEquals(List.of("after", "while away", "before"), texts(shown()),
                "the page's feed" + Browsers.connectionLog(browser));
    }

    /**
     * The server answers the page's first attempts with 503, as a full server or a proxy in
     * front of a restarting one does. An EventSource gives up on such an answer, and the SSE
     * extension builds a new one, which cannot send {@code Last-Event-ID}: the page's own
     * script must put its resume point in the address.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void pageRefusedWhileReconnectingResumesOnALaterAttempt(Transport transport)
            throws Exception {
        UnaryOperator<ChirpServer.Builder> oneConnection = builder -> builder.maxConnections(1);
        start(transport, oneConnection);
        open();
        post(server, "one", "two");
        awaitShown("two");

        int port = server.port();
        server.close();
        startAgain(() -> withItsOnlyConnectionTaken(build(transport, oneConnection, port)),
                "while away");
        int droppedBefore = Browsers.connectionsDropped(browser);
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "the page was never refused" + Browsers.connectionLog(browser))
                .until(page -> Browsers.connectionsDropped(browser) > droppedBefore);
        post(server, "while refused");
        server.feed().connections().release();
        awaitConnections(2);
        post(server, "after");
        awaitShown("after");

        List<Shown> shown = shown();
        assertEquals(feedIds(), ids(shown), "the page's chirps against the server's feed"
                + Browsers.connectionLog(browser));
        assertEquals(List.of("after", "while refused", "while away", "two", "one"), texts(shown),
                "the page's feed, newest first");
    }

    /** A chirp as the page shows it: its element's id and its text as read. */
    private record Shown(String id, String text) {
    }

    private void start(Transport transport, UnaryOperator<ChirpServer.Builder> settings) {
        server = build(transport, settings, 0).start();
    }

    private ChirpServer build(Transport transport, UnaryOperator<ChirpServer.Builder> settings,
            int port) {
        return settings.apply(ChirpServer.builder()
                        .host("127.0.0.1")
                        .port(port)
                        .dumpPath(tempDir.resolve("chirps.dump"))
                        .transports(Set.of(transport))
                        .noRateLimit())
                .build();
    }

    /** Closes the server, which ends the page's live connection, and starts it again. */
    private void restart(Transport transport, UnaryOperator<ChirpServer.Builder> settings,
            String... postedWhileAway) throws Exception {
        int port = server.port();
        server.close();
        startAgain(() -> build(transport, settings, port), postedWhileAway);
    }

    /**
     * Starts a server built like the closed one, on its port and dump. The chirps given are
     * posted to it before it listens, so the page cannot have seen them when it reconnects.
     */
    private void startAgain(Supplier<ChirpServer> builder, String... postedWhileAway)
            throws Exception {
        server = builder.get();
        post(server, postedWhileAway);
        listen(builder);
    }

    /** Holds the server's only live connection, so that it refuses every client with 503. */
    private static ChirpServer withItsOnlyConnectionTaken(ChirpServer server) {
        assertEquals(true, server.feed().connections().tryAcquire(), "the only connection");
        return server;
    }

    /**
     * Starts the server. Should the port still be held by the closed server, closes this one,
     * which flushes what was posted to it, and starts another from the same dump, within a
     * bounded time.
     */
    private void listen(Supplier<ChirpServer> again) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                server.start();
                return;
            } catch (RuntimeException e) {
                server.close();
                if (!isBindFailure(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                // Nothing announces that the port is free again; try at a short interval.
                TimeUnit.MILLISECONDS.sleep(100);
                server = again.get();
            }
        }
    }

    private static boolean isBindFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** Opens the page and waits until its live connection is open. */
    private void open() {
        browser.get("http://127.0.0.1:" + server.port() + "/");
        awaitConnections(1);
    }

    private void awaitConnections(int count) {
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "the page opened its live connection "
                        + Browsers.connectionsOpened(browser) + " times, not " + count
                        + Browsers.connectionLog(browser))
                .until(page -> Browsers.connectionsOpened(browser) >= count);
    }

    /** Posts from outside the page, each chirp stored before the next is posted. */
    private static void post(ChirpServer to, String... texts) throws Exception {
        for (String text : texts) {
            to.feed().store().post(AUTHOR, text).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Posts without waiting: the writer thread stores them in order, before a later close. */
    private void postWithoutWaiting(String... texts) {
        for (String text : texts) {
            server.feed().store().post(AUTHOR, text);
        }
    }

    private void awaitShown(String text) {
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "'" + text + "' never showed: " + shown()
                        + Browsers.connectionLog(browser))
                .until(page -> texts(shown()).contains(text));
    }

    @SuppressWarnings("unchecked")
    private static List<Shown> shown() {
        List<List<String>> rows = (List<List<String>>) browser.executeScript(SHOWN_CHIRPS);
        return rows.stream().map(row -> new Shown(row.get(0), row.get(1))).toList();
    }

    private List<String> feedIds() {
        return server.feed().store().chirps().stream()
                .map(chirp -> "chirp-" + chirp.id())
                .toList();
    }

    private static List<String> ids(List<Shown> shown) {
        return shown.stream().map(Shown::id).toList();
    }

    private static List<String> texts(List<Shown> shown) {
        return shown.stream().map(Shown::text).toList();
    }
}
