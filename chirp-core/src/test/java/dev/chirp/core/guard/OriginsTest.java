package dev.chirp.core.guard;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class OriginsTest {

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"same-origin", "same-site", "none"})
    void allowsARequestWithoutOriginThatNoBrowserMarkedCrossSite(String fetchSite) {
        boolean allowed = Origins.isAllowed(null, "localhost:4080", fetchSite);

        assertTrue(allowed, "no Origin, Sec-Fetch-Site " + fetchSite);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cross-site", "Cross-Site"})
    void refusesARequestWithoutOriginThatTheBrowserMarkedCrossSite(String fetchSite) {
        boolean allowed = Origins.isAllowed(null, "localhost:4080", fetchSite);

        assertFalse(allowed, "no Origin, Sec-Fetch-Site " + fetchSite);
    }

    @ParameterizedTest
    @CsvSource({
        "http://localhost:4080, localhost:4080", "http://LocalHost:4080, localhost:4080",
        "http://chirp.example, chirp.example", "http://chirp.example, chirp.example:80",
        "https://chirp.example, chirp.example:443", "http://[::1]:4080, [::1]:4080"
    })
    void allowsTheSameHostAndPort(String origin, String host) {
        boolean allowed = Origins.isAllowed(origin, host, "same-origin");

        assertTrue(allowed, origin + " posting to " + host);
    }

    @Test
    void anOriginHeaderDecidesOverSecFetchSite() {
        boolean allowed = Origins.isAllowed("https://evil.example", "localhost:4080",
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
        "http://sub.chirp.example | chirp.example"
    })
    void refusesAnyOtherOrigin(String origin, String host) {
        boolean allowed = Origins.isAllowed(origin, host, null);

        assertFalse(allowed, origin + " posting to " + host);
    }
}
