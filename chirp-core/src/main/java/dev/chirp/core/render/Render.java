package dev.chirp.core.render;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.chirp.core.Chirp;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.TemplateOutput;
import gg.jte.html.OwaspHtmlTemplateOutput;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Renders chirps and fragments with jte templates precompiled at build time, in HTML mode so
 * every value is escaped; and chirps as JSON, for the API and the JSON event stream.
 *
 * <p>Every fragment is one line: a line break inside a chirp becomes the character reference
 * {@code &#10;}, which a browser shows as a line break under {@code white-space: pre-wrap}
 * but which can never end an SSE {@code data:} line.
 *
 * <p>The fragments target ids on the page: {@value #FEED_ID} for the list,
 * {@value #ERROR_ID} for the error area and {@value #INPUT_ID} for the compose box.
 * Thread-safe.
 */
public final class Render {

    /** The id of the feed list on the page. */
    public static final String FEED_ID = "feed";
    /** The id of the element that shows why a post was rejected. */
    public static final String ERROR_ID = "chirp-error";
    /** The id of the compose box. */
    public static final String INPUT_ID = "chirp-input";

    private static final String TEMPLATE_PACKAGE = "dev.chirp.core.render.templates";
    private static final JsonFactory JSON = new JsonFactory();

    private final TemplateEngine engine;

    private Render(TemplateEngine engine) {
        this.engine = engine;
    }

    /**
     * Creates a renderer over the precompiled templates.
     *
     * @return the renderer
     */
    public static Render create() {
        return new Render(TemplateEngine.createPrecompiled(null, ContentType.Html,
                Render.class.getClassLoader(), TEMPLATE_PACKAGE));
    }

    /**
     * Renders one chirp as the feed's list item:
     * {@code <li class="chirp" id="chirp-ID"><span class="handle">@HANDLE</span> <span class="text">TEXT</span></li>}.
     *
     * @param chirp the chirp
     * @return one line of HTML
     */
    public String item(Chirp chirp) {
        return render("item.jte", Map.of("chirp", chirp));
    }

    /**
     * Renders one chirp as a JSON object on one line:
     * {@code {"id":ID,"handle":"HANDLE","text":"TEXT","at":SECONDS}}, where {@code at} is Unix
     * time in seconds. Line breaks in the text are escaped, as JSON requires.
     *
     * @param chirp the chirp
     * @return one line of JSON
     */
    public String json(Chirp chirp) {
        StringWriter out = new StringWriter(96 + chirp.text().length());
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("id", chirp.id());
            json.writeStringField("handle", chirp.handle());
            json.writeStringField("text", chirp.text());
            json.writeNumberField("at", chirp.at().getEpochSecond());
            json.writeEndObject();
        } catch (IOException e) {
            // A StringWriter does not fail.
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Renders one chirp inside a carrier that htmx inserts at the top of the feed out of band.
     * The carrier, not the item, holds {@code hx-swap-oob}: htmx inserts the carrier's children.
     *
     * @param chirp the chirp
     * @return one line of HTML
     */
    public String outOfBandItem(Chirp chirp) {
        return render("oob.jte", Map.of("chirp", chirp));
    }

    /**
     * Renders a fragment that replaces the whole feed with these chirps, so applying it twice
     * shows each chirp once.
     *
     * @param newestFirst the chirps, newest first
     * @return one line of HTML
     */
    public String feedReplacement(List<Chirp> newestFirst) {
        return render("feed.jte", Map.of("chirps", newestFirst));
    }

    /**
     * Renders the error area, out of band, showing a message.
     *
     * @param message what a person should read, plain text
     * @return one line of HTML
     */
    public String error(String message) {
        return render("error.jte", Map.of("message", message));
    }

    /**
     * Renders the compose box.
     *
     * @param maxLength the chirp length limit, in code points, for the page's counter
     * @param swapOutOfBand whether the box replaces the page's box when swapped out of band,
     *     which empties it after a post was accepted
     * @return one line of HTML
     */
    public String composeInput(int maxLength, boolean swapOutOfBand) {
        return render("compose-input.jte", Map.of("maxLength", maxLength, "swapOutOfBand", swapOutOfBand));
    }

    private String render(String template, Map<String, Object> params) {
        StringOutput output = new StringOutput(256);
        engine.render(template, params, new QuotingHtmlOutput(output));
        return oneLine(output.toString());
    }

    /**
     * jte's HTML output, except that user text between tags escapes both quote kinds as well
     * as {@code < > &}, so a value is inert wherever a fragment is later pasted.
     */
    private static final class QuotingHtmlOutput extends OwaspHtmlTemplateOutput {

        private boolean inText = true;

        QuotingHtmlOutput(TemplateOutput output) {
            super(output);
        }

        @Override
        public void setContext(String tagName, String attributeName) {
            super.setContext(tagName, attributeName);
            inText = attributeName == null && !"script".equalsIgnoreCase(tagName);
        }

        @Override
        public void writeUserContent(String value) {
            if (value == null || !inText) {
                super.writeUserContent(value);
                return;
            }
            writeContent(value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    .replace("\"", "&quot;").replace("'", "&#39;"));
        }
    }

    /** Escaped output holds raw line breaks only where user text had them. */
    private static String oneLine(String html) {
        if (html.indexOf('\n') < 0 && html.indexOf('\r') < 0) {
            return html;
        }
        return html.replace("\r", "&#13;").replace("\n", "&#10;");
    }
}
