package dev.chirp.core.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.Chirp;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RenderTest {

    /** The PROTOCOL shape; extra attributes are allowed, the classes and their order are not free. */
    private static final Pattern ITEM = Pattern.compile("<li class=\"chirp\" id=\"chirp-(\\d+)\">"
            + "<span class=\"handle\"[^>]*>@([^<]*)</span> <span class=\"text\"[^>]*>([^<]*)</span></li>");

    private final Render render = Render.create();

    @Test
    void itemHasTheProtocolShape() {
        Chirp chirp = chirp(42, "hello there");

        String html = render.item(chirp);

        Matcher item = matchItem(html);
        assertEquals("42", item.group(1), "id");
        assertEquals("calmotter7", item.group(2), "handle");
        assertEquals("hello there", item.group(3), "text");
    }

    @Test
    void itemEscapesEveryCharacterThatIsSpecialInHtml() {
        Chirp chirp = chirp(1, "<xss1 a='b' c=\"d\">&amp;");

        String text = matchItem(render.item(chirp)).group(3);

        assertTrue(text.matches("&lt;xss1 a=(&#39;|&#x27;|&apos;)b(&#39;|&#x27;|&apos;)"
                + " c=(&quot;|&#34;|&#x22;)d(&quot;|&#34;|&#x22;)&gt;&amp;amp;"), "escaped text: " + text);
    }

    @Test
    void itemEscapesAScriptElement() {
        Chirp chirp = chirp(1, "<script>alert(1)</script>");

        String html = render.item(chirp);

        assertEquals("&lt;script&gt;alert(1)&lt;/script&gt;", matchItem(html).group(3));
        assertFalse(html.contains("<script"), "raw script element in " + html);
    }

    @Test
    void itemEscapesTheHandleToo() {
        Chirp chirp = new Chirp(1, "<b onmouseover='x'>\"me\"", "hi", Instant.EPOCH);

        String handle = matchItem(render.item(chirp)).group(2);

        assertTrue(handle.matches("&lt;b onmouseover=(&#39;|&#x27;|&apos;)x(&#39;|&#x27;|&apos;)&gt;"
                + "(&quot;|&#34;|&#x22;)me(&quot;|&#34;|&#x22;)"), "escaped handle: " + handle);
    }

    @Test
    void itemTurnsEveryKindOfLineBreakIntoACharacterReference() {
        Chirp chirp = chirp(1, "a\nb\rc\r\nd");

        String html = render.item(chirp);

        assertOneLine(html);
        assertEquals("a&#10;b&#13;c&#13;&#10;d", matchItem(html).group(3));
    }

    @Test
    void outOfBandItemWrapsTheItemInACarrierForTheTopOfTheFeed() {
        Chirp chirp = chirp(7, "line\nbreak");

        String html = render.outOfBandItem(chirp);

        assertEquals("<div hx-swap-oob=\"afterbegin:#feed\">" + render.item(chirp) + "</div>", html);
        assertOneLine(html);
    }

    @Test
    void feedReplacementListsTheItemsNewestFirstInsideTheFeed() {
        List<Chirp> newestFirst = List.of(chirp(3, "three"), chirp(2, "two\r\n"), chirp(1, "one"));

        String html = render.feedReplacement(newestFirst);

        assertEquals("<div hx-swap-oob=\"innerHTML:#" + Render.FEED_ID + "\">" + render.item(newestFirst.get(0))
                + render.item(newestFirst.get(1)) + render.item(newestFirst.get(2)) + "</div>", html);
        assertOneLine(html);
    }

    @Test
    void feedReplacementOfAnEmptyFeedEmptiesIt() {
        String html = render.feedReplacement(List.of());

        assertEquals("<div hx-swap-oob=\"innerHTML:#feed\"></div>", html);
    }

    @Test
    void errorEscapesTheMessageAndTargetsTheErrorArea() {
        String html = render.error("<b>bad</b> & \"worse\"\nsecond line");

        assertTrue(html.startsWith("<p id=\"" + Render.ERROR_ID + "\""), "error area: " + html);
        assertTrue(html.contains("hx-swap-oob=\"true\""), "out of band: " + html);
        assertTrue(html.matches(".*>&lt;b&gt;bad&lt;/b&gt; &amp; (&quot;|&#34;)worse(&quot;|&#34;)&#10;second line</p>"),
                "escaped message: " + html);
        assertOneLine(html);
    }

    @Test
    void composeInputSwappedOutOfBandReplacesThePageBox() {
        String html = render.composeInput(280, true);

        assertTrue(html.startsWith("<textarea id=\"" + Render.INPUT_ID + "\""), "compose box: " + html);
        assertTrue(html.contains(" hx-swap-oob=\"true\""), "out of band: " + html);
        assertTrue(html.contains(" data-max-length=\"280\""), "length for the counter: " + html);
    }

    @Test
    void composeInputForThePageHasNoOutOfBandAttribute() {
        String html = render.composeInput(140, false);

        assertFalse(html.contains("hx-swap-oob"), "out-of-band attribute in " + html);
        assertTrue(html.contains(" data-max-length=\"140\""), "length for the counter: " + html);
        assertOneLine(html);
    }

    private static Chirp chirp(long id, String text) {
        return new Chirp(id, "calmotter7", text, Instant.EPOCH);
    }

    private static Matcher matchItem(String html) {
        Matcher item = ITEM.matcher(html);
        assertTrue(item.matches(), "not the protocol's item shape: " + html);
        return item;
    }

    private static void assertOneLine(String html) {
        assertFalse(html.contains("\n") || html.contains("\r"), "line break in " + html.replace("\n", "\\n")
                .replace("\r", "\\r"));
    }
}
