/**
 * Approach 2: one WebSocket on {@code /socket} carries chirps both ways. Chirps come up as
 * JSON frames; the feed goes down as HTML fragments that htmx swaps in out of band. One
 * Undertow handler, {@link dev.chirp.transport.ws.WsHandler}, serves it.
 *
 * <p>Reads no system properties; everything is set on the handler's builder.
 */
module dev.chirp.transport.ws {
    exports dev.chirp.transport.ws;

    requires transitive dev.chirp.core;
    requires transitive undertow.core;
    requires xnio.api;
    requires com.fasterxml.jackson.databind;
}
