package dev.chirp.redis;

import dev.chirp.core.Chirp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.resps.StreamEntry;

/**
 * How chirps and clears are written to the stream and read back.
 *
 * <p>Every entry has the id {@code N-0}, where N is the chirp id: the larger of the stream's
 * last id plus one and Redis' clock in microseconds, worked out by {@link #APPEND} inside
 * Redis, so that the order of the stream is the order of the ids whichever node posted. A
 * chirp entry holds {@code kind=chirp}, {@code handle}, {@code text} and {@code at} (Unix
 * seconds); a clear entry holds {@code kind=clear} and everything older is trimmed away.
 */
final class StreamEntries {

    /**
     * Appends one entry and returns {@code {id, at}}. KEYS[1] is the stream; ARGV is the
     * number of entries to keep, the kind, then for a chirp its handle and text. A script runs
     * alone in Redis, so reading the last id and appending after it cannot interleave with
     * another node's post. Ids stay below 2^53, which Lua's numbers hold exactly.
     */
    static final String APPEND = """
            local key = KEYS[1]
            local now = redis.call('TIME')
            local id = tonumber(now[1]) * 1000000 + tonumber(now[2])
            if redis.call('EXISTS', key) == 1 then
              local info = redis.call('XINFO', 'STREAM', key)
              for i = 1, #info, 2 do
                if info[i] == 'last-generated-id' then
                  local last = tonumber(string.match(info[i + 1], '^%d+'))
                  if last >= id then id = last + 1 end
                end
              end
            end
            local entry = string.format('%.0f-0', id)
            if ARGV[2] == 'clear' then
              redis.call('XADD', key, entry, 'kind', 'clear')
              redis.call('XTRIM', key, 'MINID', entry)
            else
              redis.call('XADD', key, 'MAXLEN', '~', ARGV[1], entry, 'kind', 'chirp',
                'handle', ARGV[3], 'text', ARGV[4], 'at', now[1])
            end
            return {entry, now[1]}
            """;

    static final String CHIRP = "chirp";
    static final String CLEAR = "clear";

    private StreamEntries() {
    }

    /** What an entry of the stream stands for. */
    sealed interface Entry permits Posted, Cleared {
        long id();
    }

    /** A chirp. */
    record Posted(Chirp chirp) implements Entry {
        @Override
        public long id() {
            return chirp.id();
        }
    }

    /** The feed emptied. */
    record Cleared(long id) implements Entry {
    }

    /**
     * Reads an entry.
     *
     * @return the chirp or clear, or empty if the entry is not one Chirp wrote
     */
    static Optional<Entry> read(StreamEntry entry) {
        long id = entry.getID().getTime();
        Map<String, String> fields = entry.getFields();
        if (id <= 0 || entry.getID().getSequence() != 0) {
            return Optional.empty();
        }
        String kind = fields.get("kind");
        if (CLEAR.equals(kind)) {
            return Optional.of(new Cleared(id));
        }
        String handle = fields.get("handle");
        String text = fields.get("text");
        String at = fields.get("at");
        if (!CHIRP.equals(kind) || handle == null || text == null || at == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Posted(new Chirp(id, handle, text, Instant.ofEpochSecond(Long.parseLong(at)))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Reads the id out of an entry id such as {@code 1796322010701000-0}. */
    static long idOf(String entryId) {
        int dash = entryId.indexOf('-');
        return Long.parseLong(dash < 0 ? entryId : entryId.substring(0, dash));
    }
}
