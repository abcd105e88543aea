package dev.chirp.core.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chirp.core.Chirp;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RenderTest {

    /** The PROTOCOL shape: extra attributes may appear; the classes and their order may not. */
    private static final Pattern ITEM = Pattern.compile("<li class=\"chirp\" id=\"chirp-(\\d+)\">"
            + "<span class=\"handle\"[^>]*>@([^<]*)</span> "
            + "<span class=\"text\"[^>]*>([^<]*)</span></li>");
    private static final String APOS = "(&#39;|&#x27;|&apos;)";
    private static final String QUOT = "(&quot;|&#34;|&#x22;)";

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

        String expected = "&lt;xss1 a=" + APOS + "b" + APOS + " c=" + QUOT + "d" + QUOT
                + "&gt;&amp;amp;";
        assertTrue(text.matches(expected), "escaped text: " + text);
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

        String expected = "&lt;b onmouseover=" + APOS + "x" + APOS + "&gt;" + QUOT + "me" + QUOT;
        assertTrue(handle.matches(expected), "escaped handle: " + handle);
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

        assertEquals("<div hx-swap-oob=\"afterbegin:#feed\">" + render.item(chirp) + "</div>",
                html);
        assertOneLine(html);
    }

    @Test
    void feedReplacementListsTheItemsNewestFirstInsideTheFeed() {
        Chirp three = chirp(3, "three");
        Chirp two = chirp(2, "two\r\n");
        Chirp one = chirp(1, "one");

        String html = render.feedReplacement(List.of(three, two, one));

        assertEquals("<div hx-swap-oob=\"innerHTML:#" + Render.FEED_ID + "\">"
                + render.item(three) + render.item(two) + render.item(one) + "</div>", html);
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
        String message = "&lt;b&gt;bad&lt;/b&gt; &amp; " + QUOT + "worse" + QUOT
                + "&#10;second line";
        assertTrue(html.matches(".*>" + message + "</p>"), "escaped message: " + html);
        assertOneLine(html);
    }

    @Test
    void composeInputSwappedOutOfBandReplacesThePageBox() {
        String html = render.composeInput(280, true);

        assertTrue(html.startsWith("<textarea id=\"" + Render.INPUT_ID + "\""), "box: " + html);
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

    @Test
    void handleAndTextEachIsolateTheirDirection() {
        Chirp chirp = chirp(3, "\u202Eevil reversed");

        String html = render.item(chirp);

        assertTrue(html.contains("<span class=\"handle\" dir=\"auto\">@calmotter7</span>"), html);
        assertTrue(html.contains("<span class=\"text\" dir=\"auto\">\u202Eevil reversed</span>"),
                "a direction override stays inside its own isolated span: " + html);
    }

    @Test
    void jsonIsOneLineWithTheFourFieldsAndAtInUnixSeconds() throws Exception {
        Chirp chirp = new Chirp(1_796_322_010_701_000L, "calmotter7", "say \"hi\"\n<b>twice</b> \uD83D\uDC26",
                Instant.parse("2026-12-04T08:00:10Z"));

        String json = render.json(chirp);

        assertEquals("{\"id\":1796322010701000,\"handle\":\"calmotter7\","
                + "\"text\":\"say \\\"hi\\\"\\n<b>twice</b> \uD83D\uDC26\",\"at\":1796371210}", json);
        JsonNode parsed = new ObjectMapper().readTree(json);
        assertEquals(chirp.text(), parsed.get("text").asText(), "the text survives a round trip");
        assertOneLine(json);
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
        String shown = html.replace("\n", "\\n").replace("\r", "\\r");
        assertFalse(html.contains("\n") || html.contains("\r"), "line break in " + shown);
    }
}
