package dev.fraiseql.observers.core.observer.condition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;
import dev.fraiseql.observers.schemas.values.Infinity;
import dev.fraiseql.observers.schemas.values.Interval;
import dev.fraiseql.observers.schemas.values.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Converts the plain Java values of a row ({@code RowCodec}'s types) to the values the CEL runtime
 * understands. CEL knows only a few value types, so every column kind is mapped on one of them:
 *
 * <ul>
 *   <li>integers to {@code int} ({@link Long}), floats to {@code double} through their decimal text
 *       (so {@code 0.1f} stays {@code 0.1});
 *   <li>exact decimals stay {@link BigDecimal}: the condition language's {@code decimal} type, with
 *       its own comparison, arithmetic and equality overloads ({@link DecimalLibrary});
 *   <li>timestamps with or without zone, and dates, to {@code timestamp} ({@link Instant}, UTC for
 *       values without zone, midnight for dates); {@code infinity} to the largest or smallest
 *       timestamp CEL allows;
 *   <li>times of day, intervals and UUIDs to their ISO text;
 *   <li>JSON to maps and lists (integral numbers as {@code int}, other numbers as {@code decimal});
 *   <li>{@code bytea} to {@code bytes}; Java {@code null}, also inside lists and maps, to CEL
 *       {@code null}.
 * </ul>
 */
final class CelValues {
    /** The latest instant CEL accepts as a timestamp; {@code infinity} compares as this. */
    static final Instant MAX_TIMESTAMP = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** The earliest instant CEL accepts as a timestamp; {@code -infinity} compares as this. */
    static final Instant MIN_TIMESTAMP = Instant.parse("0001-01-01T00:00:00Z");

    // Exact decimals: 12.50 in a JSON column must compare like 12.50 in a numeric column.
    private static final ObjectMapper JSON =
            JsonMapper.builder()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                    .build();

    private CelValues() {}

    /** One Java value in its CEL form. */
    static Object toCel(Object value) {
        if (value == null) {
            return NullValue.NULL_VALUE;
        }
        if (value instanceof String
                || value instanceof Long
                || value instanceof Boolean
                || value instanceof Double
                || value instanceof BigDecimal
                || value instanceof Instant) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return Double.valueOf(f.toString());
        }
        if (value instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        return toCelTemporalOrText(value);
    }

    private static Object toCelTemporalOrText(Object value) {
        if (value instanceof LocalDateTime local) {
            return local.toInstant(ZoneOffset.UTC);
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof ZonedDateTime zoned) {
            return zoned.toInstant();
        }
        if (value instanceof LocalDate date) {
            return date.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        if (value instanceof Date date) {
            return date.toInstant();
        }
        if (value instanceof Infinity infinity) {
            return infinity == Infinity.POSITIVE ? MAX_TIMESTAMP : MIN_TIMESTAMP;
        }
        if (value instanceof LocalTime || value instanceof OffsetTime || value instanceof UUID) {
            return value.toString();
        }
        if (value instanceof Interval interval) {
            return interval.iso();
        }
        return toCelStructure(value);
    }

    private static Object toCelStructure(Object value) {
        if (value instanceof Json json) {
            return fromJson(parse(json));
        }
        if (value instanceof byte[] bytes) {
            return CelByteString.of(bytes);
        }
        if (value instanceof Collection<?> collection) {
            List<Object> out = new ArrayList<>(collection.size());
            for (Object element : collection) {
                out.add(toCel(element));
            }
            return Collections.unmodifiableList(out);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            map.forEach((k, v) -> out.put(String.valueOf(k), toCel(v)));
            return Collections.unmodifiableMap(out);
        }
        throw new IllegalArgumentException(
                "a value of type "
                        + value.getClass().getName()
                        + " cannot be used in a condition; it is not one of RowCodec's types");
    }

    private static JsonNode parse(Json json) {
        try {
            return JSON.readTree(json.text());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a JSON column value does not parse", e);
        }
    }

    /** A parsed JSON document as CEL maps, lists and scalars. */
    static Object fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (node.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.put(field.getKey(), fromJson(field.getValue()));
            }
            return Collections.unmodifiableMap(out);
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>(node.size());
            node.forEach(element -> out.add(fromJson(element)));
            return Collections.unmodifiableList(out);
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        return node.asText();
    }
}
