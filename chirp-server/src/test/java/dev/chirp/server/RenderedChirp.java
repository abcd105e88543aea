package dev.chirp.server;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chirp as the wire contract renders it, read back from HTML: its id, and its handle and
 * text as they appear in the markup, still escaped.
 */
record RenderedChirp(long id, String handle, String text) {

    private static final Pattern ITEM = Pattern.compile(
            "<li class=\"chirp\" id=\"chirp-(\\d+)\"[^>]*>"
                    + "<span class=\"handle\"[^>]*>@([^<]*)</span> "
                    + "<span class=\"text\"[^>]*>([^<]*)</span></li>");

    /** Returns every rendered chirp in the HTML, in document order. */
    static List<RenderedChirp> findAll(String html) {
        List<RenderedChirp> chirps = new ArrayList<>();
        Matcher matcher = ITEM.matcher(html);
        while (matcher.find()) {
            long id = Long.parseLong(matcher.group(1));
            chirps.add(new RenderedChirp(id, matcher.group(2), matcher.group(3)));
        }
        return chirps;
    }

    /** Returns the one rendered chirp the HTML holds, or fails. */
    static RenderedChirp only(String html) {
        List<RenderedChirp> chirps = findAll(html);
        if (chirps.size() != 1) {
            throw new AssertionError("expected one rendered chirp, found " + chirps.size()
                    + " in: " + html);
        }
        return chirps.get(0);
    }
}
