/**
 * The WebSocket transport. Frames are sent from whichever thread publishes a chirp;
 * incoming frames are handled on the connection's I/O thread and never block it.
 */
package dev.chirp.transport.ws;
