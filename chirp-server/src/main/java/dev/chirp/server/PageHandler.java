package dev.chirp.server;

import dev.chirp.core.Chirp;
import dev.chirp.core.Feed;
import dev.chirp.core.guard.Caller;
import dev.chirp.core.identity.Identity;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * {@code GET /}: the page, rendered with jte, its feed already filled in; plus the page's
 * own script and style under {@code /static/} and htmx from its WebJars under
 * {@code /webjars/}. Everything else goes to the next handler.
 */
final class PageHandler implements HttpHandler {

    private static final String TEMPLATE_PACKAGE = "dev.chirp.server.templates";
    private static final HttpString X_FORWARDED_FOR = new HttpString("X-Forwarded-For");
    private static final HttpString X_FORWARDED_PROTO = new HttpString("X-Forwarded-Proto");

    private final Feed feed;
    private final Set<Transport> transports;
    private final TemplateEngine templates;
    private final Properties versions;
    private final ResourceHandler statics;
    private final ResourceHandler webjars;
    private final HttpHandler next;

    PageHandler(Feed feed, Set<Transport> transports, HttpHandler next) {
        this.next = next;
        this.feed = feed;
        this.transports = transports;
        this.templates = TemplateEngine.createPrecompiled(null, ContentType.Html,
                PageHandler.class.getClassLoader(), TEMPLATE_PACKAGE);
        this.versions = loadVersions();
        ClassLoader loader = PageHandler.class.getClassLoader();
        this.statics = new ResourceHandler(new AssetResources(loader, "dev/chirp/server/static"))
                .setCacheTime(60)
                .setDirectoryListingEnabled(false);
        this.webjars = new ResourceHandler(new AssetResources(loader, "META-INF/resources/webjars"))
                .setCacheTime(86_400)
                .setDirectoryListingEnabled(false);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRelativePath();
        boolean ours = path.equals("/") || path.equals("/favicon.ico") || path.startsWith("/static/")
                || path.startsWith("/webjars/");
        if (ours) {
            // Here too, not only around the whole server, for an application that mounts Chirp.
            // Limitation: a mounted Chirp's transports answer without these headers.
            SecurityHeaders.add(exchange);
        }
        boolean read = exchange.getRequestMethod().equals(Methods.GET)
                || exchange.getRequestMethod().equals(Methods.HEAD);
        if (read && path.equals("/")) {
            page(exchange);
        } else if (read && path.equals("/favicon.ico")) {
            // No icon: answer at once so that browsers stop asking on every page load.
            exchange.setStatusCode(StatusCodes.NO_CONTENT);
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "max-age=86400");
            exchange.endExchange();
        } else if (read && path.startsWith("/static/")) {
            exchange.setRelativePath(path.substring("/static".length()));
            statics.handleRequest(exchange);
        } else if (read && path.startsWith("/webjars/")) {
            exchange.setRelativePath(path.substring("/webjars".length()));
            webjars.handleRequest(exchange);
        } else {
            next.handleRequest(exchange);
        }
    }

    /** Answers 404 with a pointer to the page. */
    static void notFound(HttpServerExchange exchange) {
        exchange.setStatusCode(StatusCodes.NOT_FOUND);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
        exchange.getResponseSender().send("Nothing here. The feed is at /\n");
    }

    /** Returns the version of a bundled part, from the build: chirp, htmx or htmx-ext-sse. */
    static String version(String name) {
        return loadVersions().getProperty(name);
    }

    private void page(HttpServerExchange exchange) {
        // Read from the raw header: Undertow's own parsing fails the request on a foreign
        // cookie it cannot parse.
        Caller caller = caller(feed, exchange);
        Identity.Visitor visitor = feed.identity().resolve(
                Identity.cookieValue(exchange.getRequestHeaders().eachValue(Headers.COOKIE)), caller.https());
        visitor.setCookie().ifPresent(header -> exchange.getResponseHeaders().add(Headers.SET_COOKIE, header));

        Transport transport = chosenTransport(exchange);
        StringBuilder items = new StringBuilder();
        for (Chirp chirp : feed.store().chirps()) {
            items.append(feed.render().item(chirp));
        }
        Map<String, Object> params = new HashMap<>();
        params.put("handle", visitor.handle());
        params.put("webSocket", transport == Transport.WS);
        params.put("otherTransport", otherTransport(transport));
        params.put("feedItems", items.toString());
        params.put("composeInput", feed.render().composeInput(feed.guard().maxLength(), false));
        params.put("maxLength", feed.guard().maxLength());
        params.put("htmxVersion", versions.getProperty("htmx"));
        params.put("sseVersion", versions.getProperty("htmx-ext-sse"));
        StringOutput html = new StringOutput(8192);
        templates.render("page.jte", params, html);

        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "text/html; charset=UTF-8")
                .put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(html.toString());
    }

    /** The WebSocket when it is on, unless the page asks for the other one with ?transport=. */
    private Transport chosenTransport(HttpServerExchange exchange) {
        Deque<String> asked = exchange.getQueryParameters().get("transport");
        if (asked != null) {
            for (Transport transport : transports) {
                if (transport.flag().equals(asked.peekFirst())) {
                    return transport;
                }
            }
        }
        return transports.contains(Transport.WS) ? Transport.WS : Transport.SSE;
    }

    private String otherTransport(Transport current) {
        for (Transport transport : transports) {
            if (transport != current) {
                return transport.flag();
            }
        }
        return null;
    }

    private static Properties loadVersions() {
        Properties properties = new Properties();
        try (InputStream in = PageHandler.class.getResourceAsStream("versions.properties")) {
            if (in == null) {
                throw new IllegalStateException("versions.properties is missing from chirp-server's jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
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
