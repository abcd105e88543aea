package dev.chirp.core.guard;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * Who sent a request, as far as the server can trust it: the client's address and whether
 * its browser reached the server over https.
 *
 * @param address the client's address: the peer's, or the one a trusted proxy forwarded
 * @param https whether the browser used https
 */
public record Caller(InetAddress address, boolean https) {

    /**
     * Checks the address is present.
     *
     * @param address the client's address: the peer's, or the one a trusted proxy forwarded
     * @param https whether the browser used https
     */
    public Caller {
        Objects.requireNonNull(address, "address");
    }

    /**
     * Returns what rate limits count by: the IPv4 address, or the /64 network of an IPv6
     * address, since one host is commonly given a whole /64 to pick addresses from.
     *
     * @return such as {@code 203.0.113.7} or {@code 2001:db8:0:1:0:0:0:0/64}
     */
    public String rateKey() {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            Arrays.fill(bytes, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException("16 bytes are an IPv6 address", e);
            }
        }
        return address.getHostAddress();
    }
}
