package dev.chirp.core.pubsub;

import dev.chirp.core.Chirp;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * One wire format of a chirp, such as an SSE event or a WebSocket frame, with the encoded
 * forms of the newest chirps kept so that each chirp is encoded once, however many
 * connections send it, live or in a backlog. Thread-safe.
 *
 * @param <T> what the encoding produces; share it read-only (a read-only buffer, a string)
 */
public final class Encoding<T> {

    private final String name;
    private final int capacity;
    private final Function<Chirp, T> encoder;
    private final ConcurrentSkipListMap<Long, T> recent = new ConcurrentSkipListMap<>();

    private Encoding(String name, int capacity, Function<Chirp, T> encoder) {
        this.name = Objects.requireNonNull(name, "name");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        if (capacity < 1) {
            throw new IllegalArgumentException("encoding capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Creates an encoding.
     *
     * @param name a short name for diagnostics
     * @param capacity how many of the newest chirps to keep encoded; the feed's size is right
     * @param encoder turns a chirp into its wire form; must not return null
     * @param <T> the encoded type
     * @return the encoding
     */
    public static <T> Encoding<T> of(String name, int capacity, Function<Chirp, T> encoder) {
        return new Encoding<>(name, capacity, encoder);
    }

    /**
     * Returns a chirp in this format, encoding it only if it is not among those kept.
     *
     * @param chirp the chirp
     * @return the shared encoded form
     */
    public T encode(Chirp chirp) {
        T known = recent.get(chirp.id());
        if (known != null) {
            return known;
        }
        // A miss encodes under the lock, so threads asking for the same new chirp at once
        // wait for one encoding instead of each running the encoder.
        synchronized (this) {
            known = recent.get(chirp.id());
            if (known != null) {
                return known;
            }
            T encoded = Objects.requireNonNull(encoder.apply(chirp), () -> "encoding " + name + " returned null");
            recent.put(chirp.id(), encoded);
            while (recent.size() > capacity) {
                Map.Entry<Long, T> oldest = recent.pollFirstEntry();
                if (oldest == null) {
                    break;
                }
            }
            return encoded;
        }
    }

    @Override
    public String toString() {
        return "Encoding[" + name + "]";
    }
}
