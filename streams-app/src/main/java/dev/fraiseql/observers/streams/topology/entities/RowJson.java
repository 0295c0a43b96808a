package dev.fraiseql.observers.streams.topology.entities;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fraiseql.observers.schemas.values.Infinity;
import dev.fraiseql.observers.schemas.values.Interval;
import dev.fraiseql.observers.schemas.values.Json;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Renders row values (the Java types {@code RowCodec} documents) as JSON for HTTP answers: integers
 * and decimals as exact JSON numbers (scale kept), JSON columns as nested documents, bytes as
 * base64, infinity as {@code "infinity"} / {@code "-infinity"}, everything else (instants, dates,
 * times, UUIDs, intervals) as ISO-8601 or canonical text.
 */
final class RowJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private RowJson() {}

    static ObjectNode row(Map<String, Object> row) {
        ObjectNode out = NODES.objectNode();
        row.forEach((name, value) -> out.set(name, value(value)));
        return out;
    }

    static JsonNode value(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof BigDecimal decimal) {
            return NODES.numberNode(decimal);
        }
        if (value instanceof byte[] bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof Json json) {
            return json.tree();
        }
        if (value instanceof Interval interval) {
            return NODES.textNode(interval.iso());
        }
        if (value instanceof Infinity infinity) {
            return NODES.textNode(infinity == Infinity.POSITIVE ? "infinity" : "-infinity");
        }
        if (value instanceof List<?> list) {
            ArrayNode out = NODES.arrayNode();
            list.forEach(element -> out.add(value(element)));
            return out;
        }
        return NODES.textNode(value.toString());
    }
}
