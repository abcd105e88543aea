package dev.chirp.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chirp.core.Chirp;
import dev.chirp.core.Feed;
import dev.chirp.core.FeedObserver.Rejection;
import dev.chirp.core.guard.Caller;
import dev.chirp.core.guard.Verdict;
import dev.chirp.core.identity.Identity;
import dev.chirp.core.store.StoreUnavailableException;
import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.util.concurrent.CompletionException;

/**
 * {@code POST /api/chirps}: a JSON body {@code {"chirp": "..."}}, other keys ignored. Answers
 * 201 with the stored chirp as JSON once it is in the feed. The identity cookie decides whose
 * chirp it is; a request without one gets a new handle and the cookie, as the page does.
 * Refusals are {@code {"error": "..."}}: 400 blank, too long, not JSON or no {@code chirp}; 403
 * from another site's page; 413 a body over {@value #MAX_BODY_BYTES} bytes; 415 not sent as
 * {@code application/json}; 429 over the rate limit, with {@code Retry-After}; 503 when the feed
 * cannot store it.
 */
final class ApiPost implements HttpHandler {

    static final int MAX_BODY_BYTES = 16 * 1024;

    private static final System.Logger LOG = System.getLogger(ApiPost.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final HttpString SEC_FETCH_SITE = new HttpString("Sec-Fetch-Site");
    private static final String EXAMPLE = "{\"chirp\": \"your text\"}";

    private final Feed feed;

    ApiPost(Feed feed) {
        this.feed = feed;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Caller caller = PageHandler.caller(feed, exchange);
        if (!feed.guard().origins().isAllowed(exchange.getRequestHeaders().getFirst(Headers.ORIGIN),
                exchange.getRequestHeaders().getFirst(Headers.HOST), caller.https(),
                exchange.getRequestHeaders().getFirst(SEC_FETCH_SITE))) {
            reject(exchange, Rejection.CROSS_SITE, StatusCodes.FORBIDDEN,
                    "Chirps can only be posted from this site's own page.");
            return;
        }
        if (exchange.getRequestContentLength() > MAX_BODY_BYTES) {
            tooLarge(exchange);
            return;
        }
        if (!isJson(exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE))) {
            reject(exchange, Rejection.UNSUPPORTED_TYPE, StatusCodes.UNSUPPORTED_MEDIA_TYPE,
                    "Send the chirp as JSON with Content-Type: application/json, such as " + EXAMPLE + ".");
            return;
        }
        exchange.setMaxEntitySize(MAX_BODY_BYTES);
        // The entity size limit reaches only bodies with a Content-Length; the receiver's cap
        // bounds chunked bodies too.
        exchange.getRequestReceiver().setMaxBufferSize(MAX_BODY_BYTES);
        exchange.getRequestReceiver().receiveFullBytes((ex, body) -> post(ex, body, caller), (ex, failure) -> {
            if (failure instanceof RequestTooBigException || failure instanceof Receiver.RequestToLargeException) {
                tooLarge(ex);
            } else {
                LOG.log(System.Logger.Level.DEBUG, "Reading a chirp posted to the API failed: {0}", failure.toString());
                ex.endExchange();
            }
        });
    }

    private void post(HttpServerExchange exchange, byte[] body, Caller caller) {
        String text;
        try {
            JsonNode chirp = JSON.readTree(body).path("chirp");
            if (!chirp.isTextual()) {
                reject(exchange, Rejection.MALFORMED, StatusCodes.BAD_REQUEST,
                        "The JSON needs a field \"chirp\" holding the text, such as " + EXAMPLE + ".");
                return;
            }
            text = chirp.textValue();
        } catch (JsonProcessingException e) {
            reject(exchange, Rejection.MALFORMED, StatusCodes.BAD_REQUEST,
                    "The body is not valid JSON; send " + EXAMPLE + ".");
            return;
        } catch (IOException e) {
            throw new IllegalStateException("reading JSON from a byte array failed", e);
        }

        // Read from the raw header: Undertow's own parsing fails the request on a foreign
        // cookie it cannot parse.
        Identity.Visitor visitor = feed.identity().resolve(
                Identity.cookieValue(exchange.getRequestHeaders().eachValue(Headers.COOKIE)), caller.https());
        visitor.setCookie().ifPresent(header -> exchange.getResponseHeaders().add(Headers.SET_COOKIE, header));

        Verdict verdict = feed.guard().check(caller.rateKey(), text);
        if (verdict instanceof Verdict.Rejected rejected) {
            if (rejected.reason() == Verdict.Reason.RATE_LIMITED) {
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, rejected.retryAfter().toSeconds());
            }
            int status = rejected.reason() == Verdict.Reason.RATE_LIMITED
                    ? StatusCodes.TOO_MANY_REQUESTS
                    : StatusCodes.BAD_REQUEST;
            reject(exchange, Rejection.of(rejected.reason()), status, rejected.message());
            return;
        }
        String accepted = ((Verdict.Accepted) verdict).text();
        // The answer comes once the writer has stored the chirp; dispatching keeps the
        // exchange open until then without holding the I/O thread.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> feed.store().post(visitor.handle(), accepted)
                .whenComplete((chirp, failure) -> exchange.getIoThread()
                        .execute(() -> answer(exchange, chirp, failure))));
    }

    private void answer(HttpServerExchange exchange, Chirp chirp, Throwable failure) {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        if (cause instanceof StoreUnavailableException unavailable) {
            // The store logs the fault once; each refused post is only worth a debug line.
            LOG.log(System.Logger.Level.DEBUG, "Refused a chirp posted to the API: {0}", unavailable.getMessage());
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, 2);
            reject(exchange, Rejection.UNAVAILABLE, StatusCodes.SERVICE_UNAVAILABLE, unavailable.getMessage());
        } else if (failure != null) {
            LOG.log(System.Logger.Level.WARNING, "Could not store a chirp posted to the API: {0}", failure.toString());
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, 2);
            reject(exchange, Rejection.UNAVAILABLE, StatusCodes.SERVICE_UNAVAILABLE,
                    "The feed cannot take chirps right now; try again shortly.");
        } else {
            ApiHandler.send(exchange, StatusCodes.CREATED, feed.render().json(chirp));
        }
    }

    private void tooLarge(HttpServerExchange exchange) {
        exchange.setPersistent(false);
        reject(exchange, Rejection.TOO_LARGE, StatusCodes.REQUEST_ENTITY_TOO_LARGE,
                "The body is over " + MAX_BODY_BYTES / 1024 + " KiB; a chirp is far smaller.");
    }

    private void reject(HttpServerExchange exchange, Rejection reason, int status, String message) {
        feed.observer().rejected(reason);
        ApiHandler.error(exchange, status, message);
    }

    private static boolean isJson(String contentType) {
        return contentType != null
                && contentType.split(";", 2)[0].trim().equalsIgnoreCase("application/json");
    }
}
