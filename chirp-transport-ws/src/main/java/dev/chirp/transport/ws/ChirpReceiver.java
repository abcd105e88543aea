package dev.chirp.transport.ws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chirp.core.Feed;
import dev.chirp.core.FeedObserver.Rejection;
import dev.chirp.core.guard.Verdict;
import dev.chirp.core.store.StoreUnavailableException;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import java.util.concurrent.CompletionException;

/**
 * Takes chirps a client sends as {@code {"chirp": "..."}} text frames. Each gets an answer on
 * the same socket: on success a fresh, empty compose box and an empty error area; on
 * rejection the reason in the error area, the typed text left as it was.
 */
final class ChirpReceiver extends AbstractReceiveListener {

    private static final System.Logger LOG = System.getLogger(ChirpReceiver.class.getName());
    // One chirp per frame, said once: a repeated key or anything after the object is refused.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Feed feed;
    private final Socket socket;
    private final WsHandler.Visit visit;
    private final int maxFrameBytes;

    ChirpReceiver(Feed feed, Socket socket, WsHandler.Visit visit, int maxFrameBytes) {
        this.feed = feed;
        this.socket = socket;
        this.visit = visit;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public void handleEvent(WebSocketChannel channel) {
        socket.heard();
        super.handleEvent(channel);
    }

    @Override
    protected long getMaxTextBufferSize() {
        return maxFrameBytes;
    }

    @Override
    protected long getMaxBinaryBufferSize() {
        return maxFrameBytes;
    }

    @Override
    protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
        String text;
        try {
            JsonNode frame = JSON.readTree(message.getData());
            JsonNode chirp = frame == null ? null : frame.get("chirp");
            if (chirp == null || !chirp.isTextual()) {
                reject(Rejection.MALFORMED, "Send a chirp as JSON: {\"chirp\": \"your text\"}.");
                return;
            }
            text = chirp.textValue();
        } catch (JsonProcessingException e) {
            reject(Rejection.MALFORMED, "Send a chirp as JSON: {\"chirp\": \"your text\"}.");
            return;
        }

        Verdict verdict = feed.guard().check(visit.clientKey(), text);
        if (verdict instanceof Verdict.Rejected rejected) {
            reject(Rejection.of(rejected.reason()), rejected.message());
            return;
        }
        feed.store().post(visit.handle(), ((Verdict.Accepted) verdict).text()).whenComplete((stored, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof StoreUnavailableException unavailable) {
                // The store logs the fault once; each refused post is only worth a debug line.
                LOG.log(System.Logger.Level.DEBUG, "Refused a chirp: {0}", unavailable.getMessage());
                reject(Rejection.UNAVAILABLE, unavailable.getMessage());
            } else if (failure != null) {
                LOG.log(System.Logger.Level.ERROR, "Could not store a chirp", failure);
                reject(Rejection.UNAVAILABLE, "The feed cannot take chirps right now; try again shortly.");
            } else {
                socket.sendUnbounded(Sockets.utf8(feed.render().composeInput(feed.guard().maxLength(), true)
                        + feed.render().error("")));
            }
        });
    }

    @Override
    protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        message.getData().free();
        reject(Rejection.UNSUPPORTED_TYPE, "Send chirps as text frames holding JSON.");
    }

    private void reject(Rejection reason, String message) {
        feed.observer().rejected(reason);
        socket.sendUnbounded(Sockets.utf8(feed.render().error(message)));
    }
}
