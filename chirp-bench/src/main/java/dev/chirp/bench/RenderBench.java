package dev.chirp.bench;

import dev.chirp.core.Chirp;
import dev.chirp.core.render.Render;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Rendering with the precompiled jte templates: one chirp as the feed's list item, as the
 * WebSocket's out-of-band fragment and as JSON, and the whole page with a full feed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RenderBench {

    /** How many chirps the page shows; 100 is chirp serve's default --max-chirps. */
    @Param("100")
    public int feedSize;

    private Render render;
    private Chirp chirp;
    private List<Chirp> feed;
    private TemplateEngine pageTemplates;

    /** Loads the templates and makes the chirps. */
    @Setup
    public void setUp() {
        render = Render.create();
        chirp = Chirps.typical(42);
        feed = Chirps.feed(feedSize);
        // The server's own precompiled page template, loaded as its PageHandler loads it.
        pageTemplates = TemplateEngine.createPrecompiled(null, ContentType.Html,
                dev.chirp.server.ChirpServer.class.getClassLoader(), "dev.chirp.server.templates");
    }

    /** The list item that the SSE stream and the page carry. */
    @Benchmark
    public String item() {
        return render.item(chirp);
    }

    /** The fragment the WebSocket sends, swapped in out of band. */
    @Benchmark
    public String outOfBandItem() {
        return render.outOfBandItem(chirp);
    }

    /** The chirp as the API's and the JSON stream's JSON. */
    @Benchmark
    public String json() {
        return render.json(chirp);
    }

    /**
     * The page for GET /, built the way the server's page handler builds it: every chirp as
     * a list item, the compose box, then the page template around them.
     */
    @Benchmark
    public String page() {
        StringBuilder items = new StringBuilder();
        for (Chirp c : feed) {
            items.append(render.item(c));
        }
        Map<String, Object> params = new HashMap<>();
        params.put("handle", "swift-otter-7");
        params.put("webSocket", true);
        params.put("otherTransport", "sse");
        params.put("feedItems", items.toString());
        params.put("composeInput", render.composeInput(280, false));
        params.put("maxLength", 280);
        params.put("htmxVersion", "2.0.8");
        params.put("sseVersion", "2.2.2");
        StringOutput html = new StringOutput(8192);
        pageTemplates.render("page.jte", params, html);
        return html.toString();
    }
}
