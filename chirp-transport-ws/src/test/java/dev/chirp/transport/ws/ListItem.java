package dev.chirp.transport.ws;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rendered chirp as the wire contract describes it: an {@code li} of class {@code chirp}
 * and id {@code chirp-ID} holding the handle, then the text, each HTML-escaped. Extra
 * attributes are allowed.
 *
 * @param id the chirp id
 * @param handle the handle without its {@code @}, still escaped
 * @param text the text, still escaped
 */
record ListItem(long id, String handle, String text) {

    private static final Pattern SHAPE = Pattern.compile(
            "<li class=\"chirp\" id=\"chirp-(\\d+)\"[^>]*>"
            + "<span class=\"handle\"[^>]*>@([^<]*)</span> "
            + "<span class=\"text\"[^>]*>([^<]*)</span></li>");

    /** Reads a fragment that must be exactly one rendered chirp. */
    static ListItem parse(String html) {
        Matcher matcher = SHAPE.matcher(html);
        if (!matcher.matches()) {
            throw new AssertionError("not a rendered chirp: " + html);
        }
        return new ListItem(Long.parseLong(matcher.group(1)), matcher.group(2), matcher.group(3));
    }
}
