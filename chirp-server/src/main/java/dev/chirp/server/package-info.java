/**
 * The assembled server: {@link dev.chirp.server.ChirpServer} and the choice of
 * {@link dev.chirp.server.Transport}s.
 */
package dev.chirp.server;
