package dev.chirp.core.guard;

import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Same-origin checks for requests that change state: a WebSocket handshake or a post is
 * allowed when its {@code Origin} is this server's own (the same scheme, host and port the
 * browser used to reach it) or one of a configured list, or when it sent no {@code Origin}
 * (a client that is not a browser) and the browser did not mark it
 * {@code Sec-Fetch-Site: cross-site}. Comparison is exact: no prefix, suffix or substring
 * matching, and {@code Origin: null} is refused.
 *
 * <p>Immutable and thread-safe.
 */
public final class Origins {

    private static final Origins SAME_ORIGIN_ONLY = new Origins(Set.of());

    private final Set<String> allowed;

    private Origins(Set<String> allowed) {
        this.allowed = allowed;
    }

    /**
     * Returns the check that allows this server's own origin only.
     *
     * @return the check
     */
    public static Origins sameOriginOnly() {
        return SAME_ORIGIN_ONLY;
    }

    /**
     * Returns the check that also allows the given origins, such as a second host name the
     * page is served under.
     *
     * @param allowed origins such as {@code https://chirp.example} or {@code http://localhost:4080}
     * @return the check
     * @throws IllegalArgumentException if one is not a {@code scheme://host[:port]} origin,
     *     naming it
     */
    public static Origins allowing(Collection<String> allowed) {
        Set<String> normalized = new LinkedHashSet<>();
        for (String origin : allowed) {
            String canonical = canonical(origin.trim(), null);
            if (canonical == null) {
                throw new IllegalArgumentException("allowed origin '" + origin
                        + "' should look like https://chirp.example or http://localhost:4080");
            }
            normalized.add(canonical);
        }
        return normalized.isEmpty() ? SAME_ORIGIN_ONLY : new Origins(Set.copyOf(normalized));
    }

    /**
     * Tells whether a request may change state.
     *
     * @param origin the {@code Origin} header, or null if absent
     * @param host the {@code Host} header, or null if absent
     * @param https whether the browser reached this server over https (directly, or through a
     *     trusted proxy that says so)
     * @param fetchSite the {@code Sec-Fetch-Site} header, or null if absent
     * @return whether the request is from this server's page, an allowed one, or not a browser
     */
    public boolean isAllowed(String origin, String host, boolean https, String fetchSite) {
        if (origin == null) {
            return fetchSite == null || !"cross-site".equalsIgnoreCase(fetchSite.strip());
        }
        String from = canonical(origin.trim(), null);
        if (from == null) {
            return false;
        }
        if (allowed.contains(from)) {
            return true;
        }
        if (host == null || host.isBlank()) {
            return false;
        }
        String self = canonical((https ? "https" : "http") + "://" + host.trim(), https ? "https" : "http");
        return from.equals(self);
    }

    /**
     * Returns {@code scheme://host:port} in lower case with the port always written, or null
     * if the text is not an http(s) origin without path, query or user. When {@code scheme}
     * is given the text must use it.
     */
    private static String canonical(String text, String scheme) {
        try {
            URI uri = new URI(text);
            String given = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (given == null || !(given.equals("http") || given.equals("https"))
                    || (scheme != null && !scheme.equals(given))
                    || uri.getHost() == null || uri.getRawUserInfo() != null
                    || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return null;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : given.equals("https") ? 443 : 80;
            return given + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
