package dev.fraiseql.observers.streams.topology.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fraiseql.observers.schemas.values.Infinity;
import dev.fraiseql.observers.schemas.values.Interval;
import dev.fraiseql.observers.schemas.values.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * Converts one column value of Debezium's JSON (Kafka Connect's {@code JsonConverter} with schemas)
 * to the Java type {@code RowCodec} documents, reading the field's schema for logical types.
 *
 * <table>
 *   <caption>Debezium logical types and their Java form</caption>
 *   <tr><th>schema name (type)</th><th>Java</th></tr>
 *   <tr><td>{@code org.apache.kafka.connect.data.Decimal} (base64 bytes, scale parameter)</td>
 *       <td>BigDecimal with that scale</td></tr>
 *   <tr><td>{@code io.debezium.data.VariableScaleDecimal} (struct scale + bytes)</td>
 *       <td>BigDecimal</td></tr>
 *   <tr><td>{@code io.debezium.time.Date}, Connect {@code Date}</td><td>LocalDate</td></tr>
 *   <tr><td>{@code io.debezium.time.Time}, {@code MicroTime}, {@code NanoTime}, Connect
 *       {@code Time}</td><td>LocalTime</td></tr>
 *   <tr><td>{@code io.debezium.time.Timestamp}, {@code MicroTimestamp}, {@code NanoTimestamp},
 *       Connect {@code Timestamp}</td><td>LocalDateTime</td></tr>
 *   <tr><td>{@code io.debezium.time.ZonedTimestamp}</td><td>Instant</td></tr>
 *   <tr><td>{@code io.debezium.time.ZonedTime}</td><td>OffsetTime</td></tr>
 *   <tr><td>{@code io.debezium.time.MicroDuration}, {@code NanoDuration}, {@code Interval}</td>
 *       <td>Interval</td></tr>
 *   <tr><td>{@code io.debezium.data.Uuid}</td><td>UUID</td></tr>
 *   <tr><td>{@code io.debezium.data.Json}</td><td>Json (canonical)</td></tr>
 *   <tr><td>enum, xml, ltree and other string types</td><td>String</td></tr>
 *   <tr><td>bytes (bytea under {@code binary.handling.mode=bytes})</td><td>byte[]</td></tr>
 *   <tr><td>int8..int64, float, double, boolean</td><td>Long, Double, Boolean</td></tr>
 *   <tr><td>array</td><td>List</td></tr>
 *   <tr><td>struct, map (geometry, hstore as map)</td><td>Json of the value</td></tr>
 * </table>
 *
 * <p>PostgreSQL's {@code infinity} and {@code -infinity} arrive as the JDBC driver's sentinel
 * values (timestamps), as the overflowed day numbers the driver's sentinels give (dates), or as the
 * words themselves ({@code ZonedTimestamp}); all become {@link Infinity}.
 *
 * <p>Limit: with Debezium's default {@code interval.handling.mode=numeric}, an interval arrives as
 * microseconds in which Debezium has already counted a month as 30.4375 days; the result is exact
 * only for intervals without months or years. Set {@code interval.handling.mode=string} on the
 * connector to keep months exactly.
 */
final class ConnectValues {
    /** The PostgreSQL JDBC driver's {@code infinity} timestamp, in milliseconds. */
    static final long PG_POSITIVE_INFINITY = 9223372036825200000L;

    /** The PostgreSQL JDBC driver's {@code -infinity} timestamp, in milliseconds. */
    static final long PG_NEGATIVE_INFINITY = -9223372036832400000L;

    /** Debezium's day number for a {@code date 'infinity'} (the driver's sentinel overflowed). */
    static final int PG_POSITIVE_INFINITY_DAYS = -622191234;

    /** Debezium's day number for a {@code date '-infinity'}. */
    static final int PG_NEGATIVE_INFINITY_DAYS = -2147472691;

    /** Marks a column whose value Debezium replaced by the unavailable-value placeholder. */
    static final Object UNAVAILABLE = NormalizedChange.UNAVAILABLE;

    private final String placeholder;
    private final byte[] placeholderBytes;

    ConnectValues(String placeholder) {
        this.placeholder = placeholder;
        this.placeholderBytes = placeholder.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The Java value of one field, or {@link #UNAVAILABLE} when it holds the placeholder.
     *
     * @param path the field's name in error messages, for example {@code after.amount}
     */
    Object convert(JsonNode schema, JsonNode value, String path) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (isPlaceholder(schema, value)) {
            return UNAVAILABLE;
        }
        try {
            return convertPresent(schema, value, path);
        } catch (NormalizationException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            throw new NormalizationException(
                    "field '"
                            + path
                            + "' (schema "
                            + describe(schema)
                            + "): cannot convert value: "
                            + e.getMessage(),
                    e);
        }
    }

    private boolean isPlaceholder(JsonNode schema, JsonNode value) {
        if (value.isTextual()) {
            String text = value.textValue();
            if ("bytes".equals(schema.path("type").asText())) {
                // Binary columns carry the placeholder's UTF-8 bytes, base64 encoded in JSON.
                try {
                    return Arrays.equals(placeholderBytes, value.binaryValue());
                } catch (IOException e) {
                    return false;
                }
            }
            return placeholder.equals(text);
        }
        // An unchanged TOASTed array arrives as a one-element array holding the placeholder.
        return value.isArray()
                && value.size() == 1
                && value.get(0).isTextual()
                && placeholder.equals(value.get(0).textValue());
    }

    private Object convertPresent(JsonNode schema, JsonNode value, String path) throws IOException {
        String name = schema.path("name").asText("");
        switch (name) {
            case "org.apache.kafka.connect.data.Decimal":
                int scale = Integer.parseInt(schema.path("parameters").path("scale").asText("0"));
                return new BigDecimal(new BigInteger(value.binaryValue()), scale);
            case "io.debezium.data.VariableScaleDecimal":
                return new BigDecimal(
                        new BigInteger(value.path("value").binaryValue()),
                        value.path("scale").asInt());
            case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date":
                return date(value.asInt());
            case "io.debezium.time.Time", "org.apache.kafka.connect.data.Time":
                return LocalTime.ofNanoOfDay(value.asLong() * 1_000_000L);
            case "io.debezium.time.MicroTime":
                return LocalTime.ofNanoOfDay(value.asLong() * 1_000L);
            case "io.debezium.time.NanoTime":
                return LocalTime.ofNanoOfDay(value.asLong());
            case "io.debezium.time.Timestamp", "org.apache.kafka.connect.data.Timestamp":
                return timestamp(value.asLong(), ChronoUnit.MILLIS);
            case "io.debezium.time.MicroTimestamp":
                return timestamp(value.asLong(), ChronoUnit.MICROS);
            case "io.debezium.time.NanoTimestamp":
                return timestamp(value.asLong(), ChronoUnit.NANOS);
            case "io.debezium.time.ZonedTimestamp":
                return zonedTimestamp(value.asText());
            case "io.debezium.time.ZonedTime":
                return OffsetTime.parse(value.asText());
            case "io.debezium.time.MicroDuration":
                return new Interval(Duration.of(value.asLong(), ChronoUnit.MICROS).toString());
            case "io.debezium.time.NanoDuration":
                return new Interval(Duration.ofNanos(value.asLong()).toString());
            case "io.debezium.time.Interval":
                return new Interval(value.asText());
            case "io.debezium.data.Uuid":
                return UUID.fromString(value.asText());
            case "io.debezium.data.Json":
                return Json.parse(value.asText());
            default:
                return convertByType(schema, value, path);
        }
    }

    private Object convertByType(JsonNode schema, JsonNode value, String path) throws IOException {
        String type = schema.path("type").asText("");
        switch (type) {
            case "boolean":
                return value.asBoolean();
            case "int8", "int16", "int32", "int64":
                return value.asLong();
            case "float", "double":
                // JSON text keeps the value as PostgreSQL printed it; a float32 read through
                // float would gain binary noise digits.
                return Double.valueOf(value.asText());
            case "string":
                return value.asText();
            case "bytes":
                return value.binaryValue();
            case "array":
                return array(schema.path("items"), value, path);
            case "struct", "map":
                return Json.parse(value.toString());
            default:
                throw new NormalizationException(
                        "field '"
                                + path
                                + "' has an unknown schema type '"
                                + type
                                + "'; the record must use Kafka Connect's JSON converter with"
                                + " schemas enabled");
        }
    }

    private List<Object> array(JsonNode itemSchema, JsonNode value, String path) {
        List<Object> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            out.add(convert(itemSchema, value.get(i), path + "[" + i + "]"));
        }
        return Collections.unmodifiableList(out);
    }

    private static Object date(int epochDay) {
        if (epochDay == PG_POSITIVE_INFINITY_DAYS) {
            return Infinity.POSITIVE;
        }
        if (epochDay == PG_NEGATIVE_INFINITY_DAYS) {
            return Infinity.NEGATIVE;
        }
        return LocalDate.ofEpochDay(epochDay);
    }

    private static Object timestamp(long amount, ChronoUnit unit) {
        if (amount == PG_POSITIVE_INFINITY) {
            return Infinity.POSITIVE;
        }
        if (amount == PG_NEGATIVE_INFINITY) {
            return Infinity.NEGATIVE;
        }
        Instant instant = Instant.EPOCH.plus(amount, unit);
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Object zonedTimestamp(String text) {
        if ("infinity".equals(text)) {
            return Infinity.POSITIVE;
        }
        if ("-infinity".equals(text)) {
            return Infinity.NEGATIVE;
        }
        return OffsetDateTime.parse(text).toInstant();
    }

    private static String describe(JsonNode schema) {
        String name = schema.path("name").asText("");
        String type = schema.path("type").asText("?");
        return name.isEmpty() ? type : name + " " + type;
    }
}
