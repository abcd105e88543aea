package dev.chirp.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

/**
 * {@code GET /metrics}: the registry's meters in the Prometheus text format (version 0.0.4).
 * Every other request goes to the next handler.
 */
final class MetricsHandler implements HttpHandler {

    static final String PATH = "/metrics";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final HttpHandler next;

    MetricsHandler(PrometheusMeterRegistry registry, HttpHandler next) {
        this.registry = registry;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!exchange.getRelativePath().equals(PATH)) {
            next.handleRequest(exchange);
            return;
        }
        if (!exchange.getRequestMethod().equals(Methods.GET) && !exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
            exchange.getResponseHeaders()
                    .put(Headers.ALLOW, "GET, HEAD")
                    .put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
            exchange.getResponseSender().send("Use GET to read the metrics.\n");
            return;
        }
        // Limitation: anyone who reaches the port may read the metrics; restrict the route in
        // a reverse proxy, or listen on a private interface.
        if (exchange.isInIoThread()) {
            // Reading the JVM's meters may take a moment; keep the I/O thread free.
            exchange.dispatch(this);
            return;
        }
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, CONTENT_TYPE)
                .put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(registry.scrape());
    }
}
