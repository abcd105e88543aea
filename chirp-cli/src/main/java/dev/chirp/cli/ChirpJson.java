package dev.chirp.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chirp.core.Chirp;
import java.time.Instant;
import java.util.Optional;

/** Reads what the server sends as JSON: chirps and {@code {"error": "..."}} answers. */
final class ChirpJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChirpJson() {
    }

    /**
     * Reads a chirp, {@code {"id", "handle", "text", "at"}}.
     *
     * @throws IllegalArgumentException if the text is not such a chirp
     */
    static Chirp chirp(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            JsonNode id = node.path("id");
            JsonNode handle = node.path("handle");
            JsonNode text = node.path("text");
            JsonNode at = node.path("at");
            if (id.canConvertToLong() && id.asLong() > 0 && handle.isTextual() && text.isTextual()
                    && at.canConvertToLong()) {
                return new Chirp(id.asLong(), handle.textValue(), text.textValue(), Instant.ofEpochSecond(at.asLong()));
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw new IllegalArgumentException("not a chirp: " + shorten(json));
    }

    /** Reads the message of an {@code {"error": "..."}} answer, if that is what the text is. */
    static Optional<String> error(String json) {
        try {
            JsonNode error = JSON.readTree(json).path("error");
            return error.isTextual() ? Optional.of(error.textValue()) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Writes {@code {"chirp": text}}. */
    static String post(String text) {
        return JSON.createObjectNode().put("chirp", text).toString();
    }

    static String shorten(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= 80 ? line : line.substring(0, 80) + "...";
    }
}
