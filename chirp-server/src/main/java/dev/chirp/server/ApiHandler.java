package dev.chirp.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chirp.core.Chirp;
import dev.chirp.core.Feed;
import dev.chirp.core.FeedObserver.Rejection;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * The JSON API under {@code /api/}: {@code GET /api/chirps} reads the feed, newest first, a page
 * at a time, and {@code POST /api/chirps} adds a chirp (see {@link ApiPost}). Every answer is
 * JSON; a refusal is {@code {"error": "..."}} with a status that says what kind, on unknown
 * paths (404) and wrong methods (405 with {@code Allow}) too. Every other request goes to the
 * next handler.
 *
 * <p>Paging: {@code ?limit=N} chirps, {@value #DEFAULT_LIMIT} by default and at most
 * {@value #MAX_LIMIT}; {@code ?before=ID} only chirps older than that id. The next page of a
 * full page is {@code ?before=} the id of its last chirp; past the end the array is empty.
 */
final class ApiHandler implements HttpHandler {

    static final String CHIRPS = "/api/chirps";
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Feed feed;
    private final BooleanSupplier stopping;
    private final ApiPost post;
    private final HttpHandler next;

    ApiHandler(Feed feed, BooleanSupplier stopping, HttpHandler next) {
        this.feed = feed;
        this.stopping = stopping;
        this.post = new ApiPost(feed);
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRelativePath();
        if (!path.equals("/api") && !path.startsWith("/api/")) {
            next.handleRequest(exchange);
            return;
        }
        try {
            route(exchange, path);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "The API failed on " + exchange.getRequestMethod() + " " + path, e);
            error(exchange, StatusCodes.INTERNAL_SERVER_ERROR, "Something went wrong on the server; try again.");
        }
    }

    private void route(HttpServerExchange exchange, String path) throws Exception {
        if (!path.equals(CHIRPS)) {
            error(exchange, StatusCodes.NOT_FOUND, "There is no API route at " + shorten(path, 60)
                    + "; chirps are at " + CHIRPS + ".");
            return;
        }
        boolean read = exchange.getRequestMethod().equals(Methods.GET);
        if (!read && !exchange.getRequestMethod().equals(Methods.POST)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, POST");
            error(exchange, StatusCodes.METHOD_NOT_ALLOWED, exchange.getRequestMethod()
                    + " is not allowed here: GET reads chirps and POST adds one.");
            return;
        }
        if (stopping.getAsBoolean()) {
            if (!read) {
                feed.observer().rejected(Rejection.UNAVAILABLE);
            }
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, 2);
            error(exchange, StatusCodes.SERVICE_UNAVAILABLE, "Chirp is shutting down; try again shortly.");
            return;
        }
        if (read) {
            list(exchange);
        } else {
            post.handleRequest(exchange);
        }
    }

    private void list(HttpServerExchange exchange) {
        int limit;
        OptionalLong before;
        try {
            limit = limit(exchange.getQueryParameters().get("limit"));
            before = before(exchange.getQueryParameters().get("before"));
        } catch (IllegalArgumentException e) {
            error(exchange, StatusCodes.BAD_REQUEST, e.getMessage());
            return;
        }

        StringBuilder body = new StringBuilder(128 * limit).append('[');
        int count = 0;
        for (Chirp chirp : page(feed.store().chirps(), before)) {
            if (count == limit) {
                break;
            }
            body.append(count == 0 ? "" : ",").append(feed.render().json(chirp));
            count++;
        }
        body.append(']');
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        send(exchange, StatusCodes.OK, body.toString());
    }

    /** The chirps older than {@code before}, newest first; the feed itself when absent. */
    private static List<Chirp> page(List<Chirp> newestFirst, OptionalLong before) {
        if (before.isEmpty()) {
            return newestFirst;
        }
        int start = 0;
        while (start < newestFirst.size() && newestFirst.get(start).id() >= before.getAsLong()) {
            start++;
        }
        return newestFirst.subList(start, newestFirst.size());
    }

    private static int limit(Deque<String> values) {
        if (values == null) {
            return DEFAULT_LIMIT;
        }
        String text = values.peekFirst();
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Answered below, like a number out of range.
        }
        throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT
                + ", got '" + shorten(text, 20) + "'.");
    }

    private static OptionalLong before(Deque<String> values) {
        if (values == null) {
            return OptionalLong.empty();
        }
        String text = values.peekFirst();
        try {
            long id = Long.parseLong(text.trim());
            if (id > 0) {
                return OptionalLong.of(id);
            }
        } catch (NumberFormatException e) {
            // Answered below, like an id out of range.
        }
        throw new IllegalArgumentException("before must be a chirp id (a positive whole number), got '"
                + shorten(text, 20) + "'.");
    }

    /** Answers with {@code {"error": message}}. */
    static void error(HttpServerExchange exchange, int status, String message) {
        try {
            send(exchange, status, JSON.writeValueAsString(Map.of("error", message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of one string did not turn into JSON", e);
        }
    }

    static void send(HttpServerExchange exchange, int status, String json) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(json);
    }

    static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }
}
