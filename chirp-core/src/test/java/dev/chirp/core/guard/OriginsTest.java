package dev.chirp.core.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class OriginsTest {

    private final Origins sameOrigin = Origins.sameOriginOnly();

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"same-origin", "same-site", "none"})
    void allowsARequestWithoutOriginThatNoBrowserMarkedCrossSite(String fetchSite) {
        boolean allowed = sameOrigin.isAllowed(null, "localhost:4080", false, fetchSite);

        assertTrue(allowed, "no Origin, Sec-Fetch-Site " + fetchSite);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cross-site", "Cross-Site"})
    void refusesARequestWithoutOriginThatTheBrowserMarkedCrossSite(String fetchSite) {
        boolean allowed = sameOrigin.isAllowed(null, "localhost:4080", false, fetchSite);

        assertFalse(allowed, "no Origin, Sec-Fetch-Site " + fetchSite);
    }

    @ParameterizedTest
    @CsvSource({
        "http://localhost:4080, localhost:4080", "http://LocalHost:4080, localhost:4080",
        "http://chirp.example, chirp.example", "http://chirp.example, chirp.example:80",
        "https://chirp.example, chirp.example:443", "http://[::1]:4080, [::1]:4080",
        "https://chirp.example, chirp.example", "HTTPS://Chirp.Example:443, chirp.example"
    })
    void allowsTheSameSchemeHostAndPort(String origin, String host) {
        boolean allowed = sameOrigin.isAllowed(origin, host, origin.toLowerCase().startsWith("https"), "same-origin");

        assertTrue(allowed, origin + " posting to " + host);
    }

    @Test
    void anOriginHeaderDecidesOverSecFetchSite() {
        boolean allowed = sameOrigin.isAllowed("https://evil.example", "localhost:4080", false,
                "same-origin");

        assertFalse(allowed, "a cross-site Origin with Sec-Fetch-Site same-origin");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://evil.example | localhost:4080",
        "null | localhost:4080",
        "http://localhost:4080.evil.example | localhost:4080",
        "http://evil-localhost:4080 | localhost:4080",
        "http://localhost:4081 | localhost:4080",
        "http://localhost | localhost:4080",
        "http://localhost:4080 | ",
        "http://localhost:4080 | '  '",
        "not a uri at all | localhost:4080",
        "http://sub.chirp.example | chirp.example",
        "http://localhost:4080/path | localhost:4080",
        "http://user@localhost:4080 | localhost:4080",
        "ftp://localhost:4080 | localhost:4080"
    })
    void refusesAnyOtherOrigin(String origin, String host) {
        boolean allowed = sameOrigin.isAllowed(origin, host, false, null);

        assertFalse(allowed, origin + " posting to " + host);
    }

    @Test
    void anHttpPageIsNotTheOriginOfAnHttpsServer() {
        boolean allowed = sameOrigin.isAllowed("http://chirp.example:443", "chirp.example:443", true, null);

        assertFalse(allowed, "same host and port, other scheme");
    }

    @Test
    void anHttpsPageIsNotTheOriginOfAnHttpServer() {
        boolean allowed = sameOrigin.isAllowed("https://localhost:4080", "localhost:4080", false, null);

        assertFalse(allowed, "same host and port, other scheme");
    }

    @Test
    void listedOriginsAreAllowedExactly() {
        Origins listed = Origins.allowing(List.of("https://Chirp.Example", "http://localhost:8080"));

        assertTrue(listed.isAllowed("https://chirp.example:443", "internal:4080", false, null), "listed, default port");
        assertTrue(listed.isAllowed("http://localhost:8080", "internal:4080", false, null), "listed with a port");
        assertFalse(listed.isAllowed("http://chirp.example", "internal:4080", false, null), "other scheme");
        assertFalse(listed.isAllowed("https://chirp.example.evil.example", "internal:4080", false, null),
                "a suffix");
    }

    @ParameterizedTest
    @ValueSource(strings = {"chirp.example", "https://chirp.example/feed", "null", "*"})
    void aMalformedListedOriginIsRefusedNamingIt(String origin) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Origins.allowing(List.of(origin)));

        assertEquals("allowed origin '" + origin + "' should look like https://chirp.example"
                + " or http://localhost:4080", thrown.getMessage());
    }
}
