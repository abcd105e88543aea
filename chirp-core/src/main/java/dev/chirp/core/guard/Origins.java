package dev.chirp.core.guard;

import java.net.URI;

/** Same-origin checks for requests that change state. */
public final class Origins {

    private Origins() {
    }

    /**
     * Tells whether a request may change state: its {@code Origin} names the same host and
     * port the request was sent to, or it sent no {@code Origin} (a client that is not a
     * browser) and the browser did not mark it {@code Sec-Fetch-Site: cross-site}.
     *
     * @param origin the {@code Origin} header, or null if absent
     * @param host the {@code Host} header, or null if absent
     * @param fetchSite the {@code Sec-Fetch-Site} header, or null if absent
     * @return whether the request is same-origin or not from a browser
     */
    public static boolean isAllowed(String origin, String host, String fetchSite) {
        if (origin == null) {
            return !"cross-site".equalsIgnoreCase(fetchSite);
        }
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            // Limitation: the scheme is taken from the Origin itself, so an https page on the
            // same host and port as an http server passes; only the host and port are compared.
            URI from = URI.create(origin.trim());
            URI to = URI.create(from.getScheme() + "://" + host.trim());
            return from.getHost() != null
                    && from.getHost().equalsIgnoreCase(to.getHost())
                    && port(from) == port(to);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
