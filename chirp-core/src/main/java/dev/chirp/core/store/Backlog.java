package dev.chirp.core.store;

import dev.chirp.core.Chirp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a connecting client is sent before live chirps: either the chirps after the last one
 * it saw, or, when it saw none the feed still holds, the whole feed to replace its own.
 *
 * @param fullReplay whether the client must replace what it shows with {@code chirps}
 * @param chirps the chirps to send, oldest first
 * @param through the id of the newest chirp the client has once it got these, or 0 if none
 */
public record Backlog(boolean fullReplay, List<Chirp> chirps, long through) {

    /**
     * Copies the list.
     *
     * @param fullReplay whether the client must replace what it shows with {@code chirps}
     * @param chirps the chirps to send, oldest first
     * @param through the id of the newest chirp the client has once it got these, or 0 if none
     */
    public Backlog {
        chirps = List.copyOf(chirps);
    }

    /**
     * Works out the backlog for a client.
     *
     * @param newestFirst the feed, as {@link Timeline#chirps()} returns it
     * @param lastSeen the id of the last chirp the client has, if it said one
     * @return the chirps after {@code lastSeen} if the feed holds that chirp, else the whole feed
     */
    public static Backlog of(List<Chirp> newestFirst, OptionalLong lastSeen) {
        Objects.requireNonNull(newestFirst, "newestFirst");
        if (lastSeen.isPresent()) {
            for (int i = 0; i < newestFirst.size(); i++) {
                if (newestFirst.get(i).id() == lastSeen.getAsLong()) {
                    return new Backlog(false, oldestFirst(newestFirst.subList(0, i)), newestFirst.get(0).id());
                }
            }
        }
        return new Backlog(true, oldestFirst(newestFirst), newestFirst.isEmpty() ? 0 : newestFirst.get(0).id());
    }

    /**
     * Parses a client's "last seen" id.
     *
     * @param text a decimal id, or null
     * @return the id, or empty if the text is absent or not an id
     */
    public static OptionalLong parseId(String text) {
        if (text == null) {
            return OptionalLong.empty();
        }
        try {
            long id = Long.parseLong(text.trim());
            return id > 0 ? OptionalLong.of(id) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static List<Chirp> oldestFirst(List<Chirp> newestFirst) {
        List<Chirp> reversed = new ArrayList<>(newestFirst);
        Collections.reverse(reversed);
        return reversed;
    }
}
