package dev.chirp.server;

import dev.chirp.core.store.Store;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /healthz}: 200 {@code ok} while Chirp takes work; 503 with the reason while it
 * shuts down or while the store cannot take posts (a full disk, an unreachable database).
 * Plain text, never cached. Every other request goes to the next handler.
 */
final class HealthHandler implements HttpHandler {

    static final String PATH = "/healthz";

    private final Store store;
    private final BooleanSupplier stopping;
    private final HttpHandler next;

    HealthHandler(Store store, BooleanSupplier stopping, HttpHandler next) {
        this.store = store;
        this.stopping = stopping;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!exchange.getRelativePath().equals(PATH)) {
            next.handleRequest(exchange);
            return;
        }
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8")
                .put(Headers.CACHE_CONTROL, "no-store");
        if (!exchange.getRequestMethod().equals(Methods.GET) && !exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            exchange.getResponseSender().send("Use GET to ask whether Chirp is healthy.\n");
            return;
        }
        Optional<String> fault = problem();
        exchange.setStatusCode(fault.isPresent() ? StatusCodes.SERVICE_UNAVAILABLE : StatusCodes.OK);
        exchange.getResponseSender().send(fault.orElse("ok") + "\n");
    }

    private Optional<String> problem() {
        if (stopping.getAsBoolean()) {
            return Optional.of("shutting down");
        }
        // The detail, with the dump's path or the database's address, is in the server's log;
        // the answer stays general.
        return store.writeFault().map(detail -> store.faultSummary());
    }
}
