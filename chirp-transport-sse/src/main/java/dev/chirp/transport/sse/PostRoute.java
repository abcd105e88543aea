package dev.chirp.transport.sse;

import dev.chirp.core.Feed;
import dev.chirp.core.guard.Origins;
import dev.chirp.core.guard.Verdict;
import dev.chirp.core.identity.Identity;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.server.handlers.form.FormData;
import io.undertow.server.handlers.form.FormDataParser;
import io.undertow.server.handlers.form.FormEncodedDataDefinition;
import io.undertow.server.handlers.form.FormParserFactory;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;

/**
 * {@code POST /chirps}: a form with a field {@code chirp}. Answers 204 when the chirp is in
 * the feed, or a status with a short message a person can read: as an HTML fragment for the
 * error area when htmx sent the request, as plain text otherwise. A {@code handle} field is
 * ignored: the identity cookie decides who posts.
 */
final class PostRoute implements HttpHandler {

    static final long MAX_BODY_BYTES = 16 * 1024;

    private static final System.Logger LOG = System.getLogger(PostRoute.class.getName());
    private static final HttpString HX_REQUEST = new HttpString("HX-Request");

    private final Feed feed;
    private final FormParserFactory forms = FormParserFactory.builder(false)
            .addParsers(new FormEncodedDataDefinition().setDefaultEncoding("UTF-8"))
            .build();

    PostRoute(Feed feed) {
        this.feed = feed;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!Origins.isAllowed(exchange.getRequestHeaders().getFirst(Headers.ORIGIN),
                exchange.getRequestHeaders().getFirst(Headers.HOST))) {
            reject(exchange, StatusCodes.FORBIDDEN, "Chirps can only be posted from this site's own page.");
            return;
        }
        if (exchange.getRequestContentLength() > MAX_BODY_BYTES) {
            reject(exchange, StatusCodes.REQUEST_ENTITY_TOO_LARGE, "That chirp is far too large to post.");
            return;
        }
        exchange.setMaxEntitySize(MAX_BODY_BYTES);
        FormDataParser parser = forms.createParser(exchange);
        if (parser == null) {
            reject(exchange, StatusCodes.UNSUPPORTED_MEDIA_TYPE,
                    "Send the chirp as a form (application/x-www-form-urlencoded) with a field named chirp.");
            return;
        }
        parser.parse(this::post);
    }

    private void post(HttpServerExchange exchange) {
        FormData form = exchange.getAttachment(FormDataParser.FORM_DATA);
        FormData.FormValue field = form == null ? null : form.getFirst("chirp");
        String text = field == null || field.isFileItem() ? null : field.getValue();

        Cookie cookie = exchange.getRequestCookie(Identity.COOKIE_NAME);
        Identity.Visitor visitor = feed.identity().resolve(cookie == null ? null : cookie.getValue());
        visitor.setCookie().ifPresent(header -> exchange.getResponseHeaders().add(Headers.SET_COOKIE, header));

        Verdict verdict = feed.guard().check(clientKey(exchange), text);
        if (verdict instanceof Verdict.Rejected rejected) {
            if (rejected.reason() == Verdict.Reason.RATE_LIMITED) {
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, rejected.retryAfter().toSeconds());
            }
            reject(exchange, statusFor(rejected.reason()), rejected.message());
            return;
        }
        String accepted = ((Verdict.Accepted) verdict).text();
        // The answer comes once the writer has stored the chirp; dispatching keeps the
        // exchange open until then without holding the I/O thread.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> feed.timeline().post(visitor.handle(), accepted)
                .whenComplete((chirp, failure) -> exchange.getIoThread().execute(() -> answer(exchange, failure))));
    }

    private void answer(HttpServerExchange exchange, Throwable failure) {
        if (failure != null) {
            LOG.log(System.Logger.Level.ERROR, "Could not store a chirp", failure);
            reject(exchange, StatusCodes.SERVICE_UNAVAILABLE, "The feed cannot take chirps right now; try again shortly.");
        } else {
            exchange.setStatusCode(StatusCodes.NO_CONTENT);
            exchange.endExchange();
        }
    }

    private void reject(HttpServerExchange exchange, int status, String message) {
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

    private static String clientKey(HttpServerExchange exchange) {
        return exchange.getSourceAddress().getAddress().getHostAddress();
    }
}
