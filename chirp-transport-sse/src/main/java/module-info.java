/**
 * Approach 1, SSE plus POST: a chirp goes up as an ordinary form post to {@code /chirps} and
 * every chirp comes down as a Server-Sent Event on {@code /stream}. One Undertow handler,
 * {@link dev.chirp.transport.sse.SseHandler}, serves both routes.
 *
 * <p>Reads no system properties; everything is set on the handler's builder.
 */
module dev.chirp.transport.sse {
    exports dev.chirp.transport.sse;

    requires transitive dev.chirp.core;
    requires transitive undertow.core;
    requires xnio.api;
}
