package dev.chirp.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentityTest {

    /** On a stopped clock, so that a cookie signed twice in one test is signed alike. */
    private final Identity identity = Identity.builder().random(new Random(42))
            .clock(new MutableClock(Instant.parse("2026-12-04T10:00:00Z"))).build();

    @Test
    void mintsHandlesItRecognizes() {
        Set<String> minted = new HashSet<>();

        for (int i = 0; i < 2000; i++) {
            minted.add(identity.mint());
        }

        for (String handle : minted) {
            assertTrue(handle.matches("[a-z]+[1-9][0-9]{0,4}"), "adjective, animal, 1-99999: " + handle);
            assertTrue(identity.isHandle(handle), "not recognized: " + handle);
        }
        assertEquals(2000, minted.size(), "distinct handles in 2000");
    }

    @Test
    void mintsNumbersFromOneToNinetyNineThousandNineHundredNinetyNine() {
        Identity lowest = Identity.create(fixed(bound -> 0));
        Identity highest = Identity.create(fixed(bound -> bound - 1));

        String low = lowest.mint();
        String high = highest.mint();

        assertEquals("ableotter1", low);
        assertEquals("zestyzebra99999", high);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "calmotter7", "braveotter1", "wittyibex99", "slyheron42", "shypuffin10", "zestyzebra99999", "ablehedgehog100"
    })
    void recognizesMintedShapes(String handle) {
        boolean recognized = identity.isHandle(handle);

        assertTrue(recognized, "not recognized: " + handle);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "<script>", "calmotter0", "calmotter100000", "calmotter07", "admin1", "calmotter",
        "Calmotter7", "calm otter7", "calmotter7 ", "calmdragon7", "otter7", "calmottercalmotter7",
        "\u202ecalmotter7", "calm\u200botter7", "calmotter\uff17", "calmotter7;admin=1"
    })
    void fromCookieIgnoresValuesThatWereNotMinted(String cookieValue) {
        Optional<String> handle = identity.fromCookie(cookieValue);

        assertEquals(Optional.empty(), handle);
    }

    @Test
    void fromCookieReturnsTheHandleOfASignedCookie() {
        String minted = identity.mint();

        Optional<String> handle = identity.fromCookie(identity.cookieValueFor(minted));

        assertEquals(Optional.of(minted), handle);
    }

    @Test
    void fromCookieRefusesAnUnsignedMintedHandle() {
        String minted = identity.mint();

        Optional<String> handle = identity.fromCookie(minted);

        assertEquals(Optional.empty(), handle, "a bare handle, as cookies were before signing");
    }

    @Test
    void fromCookieRefusesASignatureMovedToAnotherHandle() {
        String signed = identity.cookieValueFor("calmotter7");
        String signature = signed.substring(signed.indexOf('.'));

        Optional<String> handle = identity.fromCookie("braveotter7" + signature);

        assertEquals(Optional.empty(), handle);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 20, 42})
    void fromCookieRefusesASignatureWithOneCharacterChanged(int position) {
        String signed = identity.cookieValueFor("calmotter7");
        int at = signed.lastIndexOf('.') + 1 + position;
        char changed = signed.charAt(at) == 'A' ? 'B' : 'A';

        String altered = signed.substring(0, at) + changed + signed.substring(at + 1);

        assertEquals(Optional.empty(), identity.fromCookie(altered), altered);
    }

    @ParameterizedTest
    @ValueSource(strings = {"calmotter7.", "calmotter7.!!!", "calmotter7.AAAA", ".abc", "calmotter7..x"})
    void fromCookieRefusesMalformedSignatures(String cookieValue) {
        assertEquals(Optional.empty(), identity.fromCookie(cookieValue));
    }

    @Test
    void theHandleSpaceIsLarge() {
        Identity lowest = Identity.create(fixed(bound -> 0));
        Identity highest = Identity.create(fixed(bound -> bound - 1));
        Set<Integer> bounds = new HashSet<>();
        Identity counting = Identity.create(fixed(bound -> {
            bounds.add(bound);
            return 0;
        }));

        counting.mint();

        long space = bounds.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
        assertTrue(space >= 60L * 60 * 99_999, "only " + space + " handles");
        assertTrue(lowest.isHandle(lowest.mint()) && highest.isHandle(highest.mint()));
    }

    @Test
    void aCookieIsValidForItsLifetimeAndNotAfter() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
        Identity dated = Identity.builder().secret(new byte[32]).clock(clock).build();
        String cookie = dated.cookieValueFor("calmotter7");

        clock.now = clock.now.plus(Identity.LIFETIME).minusSeconds(1);
        Optional<String> late = dated.fromCookie(cookie);
        clock.now = clock.now.plusSeconds(1);
        Optional<String> expired = dated.fromCookie(cookie);

        assertTrue(cookie.matches("calmotter7\\.1796378400\\.[A-Za-z0-9_-]{43}"), cookie);
        assertEquals(Optional.of("calmotter7"), late);
        assertEquals(Optional.empty(), expired);
        assertTrue(dated.resolve(cookie).setCookie().isPresent(), "an expired cookie is replaced");
    }

    @Test
    void aCookieFromTheFutureIsRefusedBeyondTheSkew() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
        Identity dated = Identity.builder().secret(new byte[32]).clock(clock).build();
        String cookie = dated.cookieValueFor("calmotter7");

        clock.now = clock.now.minus(Identity.CLOCK_SKEW);
        Optional<String> withinSkew = dated.fromCookie(cookie);
        clock.now = clock.now.minusSeconds(1);
        Optional<String> beyond = dated.fromCookie(cookie);

        assertEquals(Optional.of("calmotter7"), withinSkew);
        assertEquals(Optional.empty(), beyond);
    }

    @Test
    void anAlteredIssueTimeIsRefused() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
        Identity dated = Identity.builder().secret(new byte[32]).clock(clock).build();
        String cookie = dated.cookieValueFor("calmotter7");

        String renewed = cookie.replace(".1796378400.", ".1796464800.");
        String padded = cookie.replace(".1796378400.", ".01796378400.");

        assertEquals(Optional.empty(), dated.fromCookie(renewed));
        assertEquals(Optional.empty(), dated.fromCookie(padded));
    }

    @Test
    void anUndatedCookieIsRefused() {
        String cookie = identity.cookieValueFor("calmotter7");
        String undated = cookie.substring(0, cookie.indexOf('.')) + cookie.substring(cookie.lastIndexOf('.'));

        assertEquals(Optional.empty(), identity.fromCookie(undated));
    }

    /** A clock tests move by hand. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aCookieSignedWithAnotherSecretIsRefused() {
        Identity other = Identity.builder().secret(new byte[32]).build();
        String signedElsewhere = other.cookieValueFor("calmotter7");

        Optional<String> handle = identity.fromCookie(signedElsewhere);

        assertEquals(Optional.empty(), handle);
    }

    @Test
    void theSameSecretAcceptsTheCookieAfterARestart() {
        byte[] secret = "a secret of at least sixteen bytes".getBytes(StandardCharsets.UTF_8);
        String cookie = Identity.builder().secret(secret).build().cookieValueFor("calmotter7");

        Optional<String> handle = Identity.builder().secret(secret).build().fromCookie(cookie);

        assertEquals(Optional.of("calmotter7"), handle);
    }

    @Test
    void aShortSecretIsRefusedWithItsLength() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Identity.builder().secret(new byte[15]));

        assertEquals("the identity secret must have at least 16 bytes, got 15", thrown.getMessage());
    }

    @Test
    void setCookieHeaderKeepsTheSignedHandleForADayOnThisSiteOnly() {
        String handle = identity.mint();

        String header = identity.setCookieHeader(handle);

        List<String> parts = List.of(header.split("; "));
        assertEquals("handle=" + identity.cookieValueFor(handle), parts.get(0));
        assertEquals(Set.of("Max-Age=86400", "Path=/", "HttpOnly", "SameSite=Lax"),
                Set.copyOf(parts.subList(1, parts.size())));
    }

    @Test
    void setCookieHeaderIsSecureOverHttps() {
        String header = identity.setCookieHeader("calmotter7", true);

        assertTrue(header.endsWith("; HttpOnly; SameSite=Lax; Secure"), header);
    }

    @Test
    void setCookieHeaderIsAlwaysSecureWhenToldSo() {
        Identity secure = Identity.builder().alwaysSecure(true).build();

        String header = secure.setCookieHeader("calmotter7", false);

        assertTrue(header.endsWith("; Secure"), header);
    }

    @Test
    void setCookieHeaderRefusesAHandleThatWasNotMinted() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> identity.setCookieHeader("<script>"));

        assertEquals("not a minted handle: <script>", thrown.getMessage());
    }

    @Test
    void resolveMintsOnceAndReusesTheHandleFromItsCookie() {
        Counting random = new Counting(new Random(7));
        Identity counted = Identity.create(random);
        Identity.Visitor first = counted.resolve(null);
        int drawsForFirst = random.draws;

        Identity.Visitor returning = counted.resolve(cookieValue(first.setCookie().orElseThrow()));

        assertTrue(identity.isHandle(first.handle()), "minted: " + first.handle());
        assertEquals(first.handle(), returning.handle());
        assertEquals(Optional.empty(), returning.setCookie(), "a new cookie for a known visitor");
        assertEquals(drawsForFirst, random.draws, "random draws after the cookie came back");
    }

    @Test
    void resolveReplacesAnUnsignedCookieWithANewIdentity() {
        Identity.Visitor visitor = identity.resolve("calmotter7");

        assertTrue(visitor.setCookie().isPresent(), "a new cookie for an unsigned handle");
        assertTrue(visitor.setCookie().get().contains("=" + identity.cookieValueFor(visitor.handle()) + ";"),
                visitor.setCookie().get());
    }

    @Test
    void resolveReplacesATamperedCookie() {
        Identity.Visitor visitor = identity.resolve("<script>alert(1)</script>");

        assertTrue(identity.isHandle(visitor.handle()), "a fresh handle: " + visitor.handle());
        assertEquals(Optional.of(identity.setCookieHeader(visitor.handle())), visitor.setCookie());
    }

    private static String cookieValue(String setCookie) {
        String pair = setCookie.split(";")[0];
        assertTrue(pair.startsWith(Identity.COOKIE_NAME + "="), "cookie name in " + setCookie);
        return pair.substring(Identity.COOKIE_NAME.length() + 1);
    }

    private static RandomGenerator fixed(IntUnaryOperator answer) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("only bounded ints are expected");
            }

            @Override
            public int nextInt(int bound) {
                return answer.applyAsInt(bound);
            }
        };
    }

    /** Counts draws, to show that a returning visitor costs no new handle. */
    private static final class Counting implements RandomGenerator {

        private final Random delegate;
        private int draws;

        Counting(Random delegate) {
            this.delegate = delegate;
        }

        @Override
        public long nextLong() {
            draws++;
            return delegate.nextLong();
        }

        @Override
        public int nextInt(int bound) {
            draws++;
            return delegate.nextInt(bound);
        }
    }

    @Test
    void cookieValueIsFoundAmongForeignAndMalformedCookies() {
        String header = "x=\u00c3\u00a9; broken; =novalue; handle=calmotter7; other=1";

        String value = Identity.cookieValue(List.of(header));

        assertEquals("calmotter7", value);
    }

    @Test
    void cookieValueIsNullWithoutTheIdentityCookie() {
        String value = Identity.cookieValue(List.of("handler=x; myhandle=y"));

        assertEquals(null, value, "no cookie named exactly 'handle'");
    }
}
