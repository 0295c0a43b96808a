package dev.fraiseql.observers.schemas.values;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Objects;

/**
 * A JSON or JSONB column value in canonical text: object keys sorted, no insignificant white space,
 * so that two documents that differ only in key order are equal.
 */
public record Json(String text) {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    public Json {
        Objects.requireNonNull(text, "text");
    }

    /**
     * Parses JSON text and returns its canonical form; throws IllegalArgumentException on bad JSON.
     */
    public static Json parse(String anyJson) {
        try {
            JsonNode tree = MAPPER.readTree(anyJson);
            Object plain = MAPPER.treeToValue(tree, Object.class);
            return new Json(MAPPER.writeValueAsString(plain));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The document as a Jackson tree. */
    public JsonNode tree() {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("canonical JSON text no longer parses", e);
        }
    }
}
