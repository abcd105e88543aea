package dev.chirp.core.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedProxiesTest {

    private static final InetAddress PROXY = address("10.0.0.5");
    private static final InetAddress STRANGER = address("198.51.100.9");

    private final TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8", "::1"));

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreIgnored() {
        Caller caller = proxies.caller(STRANGER, "http", "203.0.113.1", "https");

        assertEquals(new Caller(STRANGER, false), caller);
    }

    @Test
    void withNoTrustedProxiesLoopbackInAHeaderIsNoExemption() {
        Caller caller = TrustedProxies.none().caller(address("127.0.0.1"), "http", "127.0.0.1, 203.0.113.1", null);

        assertEquals("127.0.0.1", caller.rateKey(), "the peer, not a header");
    }

    @Test
    void aTrustedProxyNamesTheClientAndTheScheme() {
        Caller caller = proxies.caller(PROXY, "http", "203.0.113.1", "https");

        assertEquals(new Caller(address("203.0.113.1"), true), caller);
    }

    @Test
    void theClientIsTheNearestAddressThatIsNotATrustedProxy() {
        Caller caller = proxies.caller(PROXY, "http", "6.6.6.6, 203.0.113.1, 10.1.2.3", null);

        assertEquals("203.0.113.1", caller.rateKey(), "what the client wrote on the left is not believed");
    }

    @Test
    void garbageInTheHeaderLeavesTheLastReadableHop() {
        Caller caller = proxies.caller(PROXY, "http", "not-an-address, 10.1.2.3", null);

        assertEquals("10.1.2.3", caller.rateKey());
    }

    @Test
    void namesInTheHeaderAreNeverLookedUp() {
        assertNull(TrustedProxies.literal("localhost"));
        assertNull(TrustedProxies.literal("example.com"));
        assertNull(TrustedProxies.literal("300.1.1.1"));
    }

    @Test
    void ipv6ClientsAreCountedByTheirSlash64() {
        Caller one = new Caller(address("2001:db8:1:2::1"), false);
        Caller other = new Caller(address("2001:db8:1:2:ffff::9"), false);
        Caller elsewhere = new Caller(address("2001:db8:1:3::1"), false);

        assertEquals(one.rateKey(), other.rateKey(), "two addresses of one /64");
        assertFalse(one.rateKey().equals(elsewhere.rateKey()), "another /64");
    }

    @Test
    void rangesAndSingleAddressesAreTrusted() {
        assertTrue(proxies.isTrusted(address("10.255.0.1")));
        assertTrue(proxies.isTrusted(address("::1")));
        assertFalse(proxies.isTrusted(address("11.0.0.1")));
        assertFalse(proxies.isTrusted(address("127.0.0.1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"proxy.example", "10.0.0.0/33", "10.0.0.0/x", "", "1.2.3"})
    void aBadProxyIsRefusedNamingIt(String proxy) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> TrustedProxies.of(List.of(proxy)));

        assertEquals("trusted proxy '" + proxy + "' should be an IP address such as 127.0.0.1"
                + " or a range such as 10.0.0.0/8", thrown.getMessage());
    }

    private static InetAddress address(String literal) {
        return TrustedProxies.literal(literal);
    }
}
