/**
 * The SSE transport. Handlers run on Undertow's I/O threads and never block them; each
 * stream's writes happen on its own connection's I/O thread.
 */
package dev.chirp.transport.sse;
