package dev.fraiseql.observers.streams.topology.normalize;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads Kafka Connect JSON ({@code {"schema": ..., "payload": ...}}) and parses each distinct
 * schema only once. A connector repeats a table's schema, often several KB, in every record; the
 * payload is what differs. The schema is skipped token by token, looked up by its exact bytes, and
 * parsed into a tree only when it is new. Cached trees are shared between threads and never
 * changed.
 *
 * <p>The cache holds at most {@value #MAX_SCHEMAS} schemas (a few per captured table: key, value,
 * and one more after each column change) and starts over when full.
 */
final class ConnectJsonReader {
    static final int MAX_SCHEMAS = 1024;

    private final ObjectMapper mapper;
    private final Map<Span, JsonNode> schemas = new ConcurrentHashMap<>();

    ConnectJsonReader(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /**
     * A record's two halves; either is null when absent. {@code isNull} is true for a JSON {@code
     * null}; {@code isObject} is false for any other value that is not an object.
     */
    record Envelope(JsonNode schema, JsonNode payload, boolean isNull, boolean isObject) {}

    /**
     * Reads one record's key or value.
     *
     * @param bytes the JSON
     * @param part what the bytes are, for error messages: {@code key} or {@code value}
     * @throws UnreadableRecordException when the bytes are not JSON
     */
    Envelope read(byte[] bytes, String part) {
        Objects.requireNonNull(bytes, part);
        try (JsonParser parser = mapper.getFactory().createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.VALUE_NULL) {
                return new Envelope(null, null, true, false);
            }
            if (first != JsonToken.START_OBJECT) {
                if (first != null) {
                    // Read the rest so that broken JSON is told apart from JSON of the wrong shape.
                    parser.skipChildren();
                }
                return new Envelope(null, null, false, false);
            }
            JsonNode schema = null;
            JsonNode payload = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if ("schema".equals(name) && token == JsonToken.START_OBJECT) {
                    int start = (int) parser.currentTokenLocation().getByteOffset();
                    parser.skipChildren();
                    int end = (int) parser.currentLocation().getByteOffset();
                    schema = schema(bytes, start, end);
                } else if ("payload".equals(name)) {
                    payload = mapper.readTree(parser);
                } else if ("schema".equals(name)) {
                    schema = mapper.readTree(parser);
                } else {
                    parser.skipChildren();
                }
            }
            return new Envelope(schema, payload, false, true);
        } catch (IOException e) {
            throw new UnreadableRecordException(
                    part + " is not JSON (" + bytes.length + " bytes): " + e.getMessage(), e);
        }
    }

    /** How many distinct schemas are cached now. */
    int cachedSchemas() {
        return schemas.size();
    }

    private JsonNode schema(byte[] bytes, int start, int end) throws IOException {
        Span probe = Span.view(bytes, start, end);
        JsonNode cached = schemas.get(probe);
        if (cached != null) {
            return cached;
        }
        JsonNode parsed = mapper.readTree(bytes, start, end - start);
        if (schemas.size() >= MAX_SCHEMAS) {
            schemas.clear();
        }
        schemas.put(probe.copy(), parsed);
        return parsed;
    }

    /** A range of bytes compared by content; a view for lookups, a copy for keys. */
    private static final class Span {
        private final byte[] bytes;
        private final int from;
        private final int to;
        private final int hash;

        private Span(byte[] bytes, int from, int to, int hash) {
            this.bytes = bytes;
            this.from = from;
            this.to = to;
            this.hash = hash;
        }

        static Span view(byte[] bytes, int from, int to) {
            int hash = 1;
            for (int i = from; i < to; i++) {
                hash = 31 * hash + bytes[i];
            }
            return new Span(bytes, from, to, hash);
        }

        Span copy() {
            return new Span(Arrays.copyOfRange(bytes, from, to), 0, to - from, hash);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Span span
                    && hash == span.hash
                    && Arrays.equals(bytes, from, to, span.bytes, span.from, span.to);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
