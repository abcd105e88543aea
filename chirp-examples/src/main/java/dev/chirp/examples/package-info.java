/**
 * Applications that embed Chirp. Each has a {@code main} to run by hand and a {@code start}
 * method that the tests call; both bind 127.0.0.1 only.
 */
package dev.chirp.examples;
