package dev.chirp.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;

/**
 * Adds the browser security headers to every response, then passes the request on: a
 * Content-Security-Policy that lets the page load scripts, styles, images and connections
 * from this server only and never be framed, no MIME sniffing, and no referrer beyond this
 * site.
 */
final class SecurityHeaders implements HttpHandler {

    /** The policy: nothing inline, nothing from elsewhere, no framing, no base or form redirection. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static final HttpString CSP = new HttpString("Content-Security-Policy");
    private static final HttpString NOSNIFF = new HttpString("X-Content-Type-Options");
    private static final HttpString REFERRER_POLICY = new HttpString("Referrer-Policy");
    private static final HttpString FRAME_OPTIONS = new HttpString("X-Frame-Options");

    private final HttpHandler next;

    SecurityHeaders(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        add(exchange);
        next.handleRequest(exchange);
    }

    /** Sets the headers on a response, replacing any of the same name. */
    static void add(HttpServerExchange exchange) {
        HeaderMap headers = exchange.getResponseHeaders();
        headers.put(CSP, CONTENT_SECURITY_POLICY);
        headers.put(NOSNIFF, "nosniff");
        headers.put(REFERRER_POLICY, "same-origin");
        headers.put(FRAME_OPTIONS, "DENY");
    }
}
