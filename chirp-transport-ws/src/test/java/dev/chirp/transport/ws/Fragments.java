package dev.chirp.transport.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads frames made of out-of-band carriers, the way htmx would swap them. */
final class Fragments {

    private static final Pattern CARRIER =
            Pattern.compile("<div hx-swap-oob=\"([^\"]+)\">((?:<li .*?</li>)*)</div>");
    private static final Pattern ITEM = Pattern.compile("<li .*?</li>");

    private Fragments() {
    }

    /**
     * Splits a frame into its top-level carriers; fails unless the frame is carriers and
     * nothing else.
     */
    static List<Carrier> carriers(String frame) {
        List<Carrier> carriers = new ArrayList<>();
        Matcher matcher = CARRIER.matcher(frame);
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            List<ListItem> items = new ArrayList<>();
            Matcher item = ITEM.matcher(matcher.group(2));
            while (item.find()) {
                items.add(ListItem.parse(item.group()));
            }
            carriers.add(new Carrier(matcher.group(1), items));
            end = matcher.end();
        }
        if (end != frame.length()) {
            throw new AssertionError("not only carriers, from character " + end + ": " + frame);
        }
        return carriers;
    }

    /**
     * One out-of-band element.
     *
     * @param swap its {@code hx-swap-oob} value
     * @param items the chirps inside it, in document order
     */
    record Carrier(String swap, List<ListItem> items) {
    }
}
