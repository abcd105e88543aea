package dev.chirp.core.guard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose {@code X-Forwarded-For} and {@code X-Forwarded-Proto} headers are
 * believed. From any other peer those headers are ignored, since a client can send whatever
 * it likes in them: rate limits then count by the peer address.
 *
 * <p>Immutable and thread-safe.
 */
public final class TrustedProxies {

    private static final TrustedProxies NONE = new TrustedProxies(List.of());
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = ranges;
    }

    /**
     * Returns the setting that trusts no proxy: forwarded headers are always ignored.
     *
     * @return the setting
     */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * Returns the setting that trusts the given proxies.
     *
     * @param proxies addresses such as {@code 127.0.0.1} or {@code ::1}, or ranges such as
     *     {@code 10.0.0.0/8}
     * @return the setting
     * @throws IllegalArgumentException if one is not an address or range, naming it
     */
    public static TrustedProxies of(Collection<String> proxies) {
        List<Range> ranges = new ArrayList<>();
        for (String proxy : proxies) {
            ranges.add(Range.parse(proxy.trim()));
        }
        return ranges.isEmpty() ? NONE : new TrustedProxies(List.copyOf(ranges));
    }

    /**
     * Tells whether an address is one of the trusted proxies.
     *
     * @param address the address
     * @return whether its forwarded headers are believed
     */
    public boolean isTrusted(InetAddress address) {
        for (Range range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Works out who sent a request. From a trusted proxy, the client is the nearest address in
     * {@code X-Forwarded-For} (read from the right) that is not itself a trusted proxy, and
     * https is what {@code X-Forwarded-Proto} says; from anyone else both headers are ignored.
     *
     * @param peer the address of the connection's other end
     * @param scheme the scheme the connection itself used, {@code http} or {@code https}
     * @param forwardedFor the {@code X-Forwarded-For} values joined with commas, or null
     * @param forwardedProto the {@code X-Forwarded-Proto} header, or null
     * @return the caller
     */
    public Caller caller(InetAddress peer, String scheme, String forwardedFor, String forwardedProto) {
        boolean https = "https".equalsIgnoreCase(scheme);
        if (!isTrusted(peer)) {
            return new Caller(peer, https);
        }
        if (forwardedProto != null && !forwardedProto.isBlank()) {
            https = "https".equalsIgnoreCase(forwardedProto.split(",", 2)[0].trim());
        }
        InetAddress client = peer;
        if (forwardedFor != null) {
            String[] hops = forwardedFor.split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                InetAddress hop = literal(hops[i].trim());
                if (hop == null) {
                    // Garbage the client wrote itself: the last hop we could read is the client.
                    break;
                }
                client = hop;
                if (!isTrusted(hop)) {
                    break;
                }
            }
        }
        return new Caller(client, https);
    }

    /** Parses an IP address literal without ever looking a name up; null if it is not one. */
    static InetAddress literal(String text) {
        String address = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!(IPV4.matcher(address).matches() || IPV6.matcher(address).matches()) || address.length() > 45) {
            return null;
        }
        if (IPV4.matcher(address).matches()) {
            for (String part : address.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        try {
            // A literal address: InetAddress parses it and does no lookup.
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address with a prefix length: {@code 10.0.0.0/8}, or one address. */
    private record Range(byte[] network, int prefix) {

        static Range parse(String text) {
            int slash = text.indexOf('/');
            InetAddress address = literal(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException(invalid(text));
            }
            int bits = address.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(invalid(text));
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException(invalid(text));
                }
            }
            return new Range(address.getAddress(), prefix);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        private static String invalid(String text) {
            return "trusted proxy '" + text + "' should be an IP address such as 127.0.0.1 or a range such as "
                    + "10.0.0.0/8";
        }
    }
}
