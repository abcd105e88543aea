/**
 * The store: the {@link dev.chirp.core.store.Timeline} holding the newest chirps in memory
 * and its dump file on disk.
 *
 * <h2>Dump format, version 1</h2>
 * A UTF-8 JSON object that any JSON tool can read:
 * <pre>{@code
 * {"format": "chirp-dump", "version": 1, "lastId": 1764785117000004,
 *  "chirps": [{"id": 1764785117000004, "handle": "calmotter7", "text": "hi", "at": 1764785117}]}
 * }</pre>
 * {@code chirps} is newest first; {@code at} is Unix time in seconds; {@code lastId} is the
 * highest id ever handed out, which may be higher than any chirp still listed (after a clear).
 * The file is replaced atomically: written to {@code NAME.tmp}, forced to disk, then renamed.
 */
package dev.chirp.core.store;
