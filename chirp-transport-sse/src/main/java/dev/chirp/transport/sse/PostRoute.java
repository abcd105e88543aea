package dev.chirp.transport.sse;

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
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import java.util.concurrent.CompletionException;

/**
 * {@code POST /chirps}: a form with a field {@code chirp}. Answers 204 when the chirp is in
 * the feed, or a status with a short message a person can read: as an HTML fragment for the
 * error area when htmx sent the request, as plain text otherwise. A {@code handle} field is
 * ignored: the identity cookie decides who posts.
 */
final class PostRoute implements HttpHandler {

    static final long MAX_BODY_BYTES = 16 * 1024;
    static final String FORM = "application/x-www-form-urlencoded";

    private static final System.Logger LOG = System.getLogger(PostRoute.class.getName());
    private static final HttpString SEC_FETCH_SITE = new HttpString("Sec-Fetch-Site");
    private static final HttpString HX_REQUEST = new HttpString("HX-Request");
    private static final HttpString X_FORWARDED_FOR = new HttpString("X-Forwarded-For");
    private static final HttpString X_FORWARDED_PROTO = new HttpString("X-Forwarded-Proto");

    private final Feed feed;

    PostRoute(Feed feed) {
        this.feed = feed;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Caller caller = caller(feed, exchange);
        if (!feed.guard().origins().isAllowed(exchange.getRequestHeaders().getFirst(Headers.ORIGIN),
                exchange.getRequestHeaders().getFirst(Headers.HOST), caller.https(),
                exchange.getRequestHeaders().getFirst(SEC_FETCH_SITE))) {
            reject(exchange, Rejection.CROSS_SITE, StatusCodes.FORBIDDEN,
                    "Chirps can only be posted from this site's own page.");
            return;
        }
        if (exchange.getRequestContentLength() > MAX_BODY_BYTES) {
            exchange.setPersistent(false);
            reject(exchange, Rejection.TOO_LARGE, StatusCodes.REQUEST_ENTITY_TOO_LARGE,
                    "That chirp is far too large to post.");
            return;
        }
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (contentType == null || !contentType.split(";", 2)[0].trim().equalsIgnoreCase(FORM)) {
            reject(exchange, Rejection.UNSUPPORTED_TYPE, StatusCodes.UNSUPPORTED_MEDIA_TYPE,
                    "Send the chirp as a form (" + FORM + ") with a field named chirp.");
            return;
        }
        exchange.setMaxEntitySize(MAX_BODY_BYTES);
        // The entity size limit reaches only bodies with a Content-Length: a chunked body's
        // reader took the server-wide limit when the request arrived. The receiver's cap
        // bounds both.
        exchange.getRequestReceiver().setMaxBufferSize((int) MAX_BODY_BYTES);
        exchange.getRequestReceiver().receiveFullBytes((ex, body) -> post(ex, body, caller), (ex, failure) -> {
            if (failure instanceof RequestTooBigException
                    || failure instanceof Receiver.RequestToLargeException) {
                ex.setPersistent(false);
                reject(ex, Rejection.TOO_LARGE, StatusCodes.REQUEST_ENTITY_TOO_LARGE,
                        "That chirp is far too large to post.");
            } else {
                LOG.log(System.Logger.Level.DEBUG, "Reading a posted chirp failed: {0}", failure.toString());
                ex.endExchange();
            }
        });
    }

    private void post(HttpServerExchange exchange, byte[] body, Caller caller) {
        String text;
        try {
            text = FormBody.field(body, "chirp").orElse(null);
        } catch (FormBody.MalformedException e) {
            reject(exchange, Rejection.MALFORMED, StatusCodes.BAD_REQUEST,
                    "The chirp could not be read: " + e.getMessage() + ".");
            return;
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
            reject(exchange, Rejection.of(rejected.reason()), statusFor(rejected.reason()), rejected.message());
            return;
        }
        String accepted = ((Verdict.Accepted) verdict).text();
        // The answer comes once the writer has stored the chirp; dispatching keeps the
        // exchange open until then without holding the I/O thread.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> feed.store().post(visitor.handle(), accepted)
                .whenComplete((chirp, failure) -> exchange.getIoThread().execute(() -> answer(exchange, failure))));
    }

    private void answer(HttpServerExchange exchange, Throwable failure) {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        if (cause instanceof StoreUnavailableException unavailable) {
            // The store logs the fault once; each refused post is only worth a debug line.
            LOG.log(System.Logger.Level.DEBUG, "Refused a chirp: {0}", unavailable.getMessage());
            reject(exchange, Rejection.UNAVAILABLE, StatusCodes.SERVICE_UNAVAILABLE, unavailable.getMessage());
        } else if (failure != null) {
            LOG.log(System.Logger.Level.ERROR, "Could not store a chirp", failure);
            reject(exchange, Rejection.UNAVAILABLE, StatusCodes.SERVICE_UNAVAILABLE,
                    "The feed cannot take chirps right now; try again shortly.");
        } else {
            exchange.setStatusCode(StatusCodes.NO_CONTENT);
            exchange.endExchange();
        }
    }

    private void reject(HttpServerExchange exchange, Rejection reason, int status, String message) {
        feed.observer().rejected(reason);
        exchange.setStatusCode(status);
        if ("true".equals(exchange.getRequestHeaders().getFirst(HX_REQUEST))) {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=UTF-8");
            exchange.getResponseSender().send(feed.render().error(message));
        } else {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
            exchange.getResponseSender().send(message + "\n");
        }
    }

    private static int statusFor(Verdict.Reason reason) {
        return switch (reason) {
            case BLANK, TOO_LONG -> StatusCodes.BAD_REQUEST;
            case RATE_LIMITED -> StatusCodes.TOO_MANY_REQUESTS;
        };
    }

    /**
     * Who sent the request: the peer, or the client a trusted proxy names, and whether the
     * browser used https.
     */
    static Caller caller(Feed feed, HttpServerExchange exchange) {
        HeaderValues forwardedFor = exchange.getRequestHeaders().get(X_FORWARDED_FOR);
        return feed.guard().proxies().caller(exchange.getSourceAddress().getAddress(),
                exchange.getRequestScheme(),
                forwardedFor == null ? null : String.join(",", forwardedFor),
                exchange.getRequestHeaders().getFirst(X_FORWARDED_PROTO));
    }
}
