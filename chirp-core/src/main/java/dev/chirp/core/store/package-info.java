/**
 * The store: the {@link dev.chirp.core.store.Store} interface the transports and the server
 * use, and its embedded implementation, the {@link dev.chirp.core.store.Timeline} holding the
 * newest chirps in memory, its dump file (the snapshot) and its write-ahead journal on disk.
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
 *
 * <h2>Journal format, version 1</h2>
 * {@code NAME.journal} beside the dump, binary, all integers big-endian: the 16 ASCII bytes
 * {@code "chirp-journal 1\n"}, then records, each
 * <pre>
 * u32 length of the payload | u32 CRC32C of the payload | payload
 * payload of a chirp: u8 1 | i64 id | i64 at (Unix seconds) | u16 handle length | handle (UTF-8) | text (UTF-8, the rest)
 * payload of a clear: u8 2 | i64 the highest id handed out before the clear
 * </pre>
 * Records are appended and forced to disk before the chirps they hold are acknowledged. The
 * file is kept zero-filled for 1 MiB ahead of its last record, so that forcing an append does
 * not also commit a new file length; zeros where a record would start mark the end of the
 * records. After each dump the journal is cut back to its 16-byte header. Boot loads the
 * dump, then replays the journal: a chirp whose id is not above the dump's {@code lastId}, or
 * a clear whose id is below it, is already in the dump (a crash came between the dump's
 * rename and the cut) and is skipped, so nothing is replayed twice. What an interrupted
 * append leaves at the end (a record cut short, a last record whose checksum fails with only
 * zeros after it) is cut off with a warning. A record that fails its checksum with whole
 * records after it is damage: it is skipped, every record that passes is kept, the journal
 * file is moved aside to {@code NAME.journal.damaged-<UTC time>}
 * and never overwritten, and the recovered feed is written to the dump at once.
 */
package dev.chirp.core.store;
