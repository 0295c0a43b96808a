package dev.fraiseql.observers.schemas.values;

import dev.fraiseql.observers.schemas.DateValue;
import dev.fraiseql.observers.schemas.DecimalValue;
import dev.fraiseql.observers.schemas.InstantValue;
import dev.fraiseql.observers.schemas.IntervalValue;
import dev.fraiseql.observers.schemas.JsonValue;
import dev.fraiseql.observers.schemas.LocalDateTimeValue;
import dev.fraiseql.observers.schemas.OffsetTimeValue;
import dev.fraiseql.observers.schemas.SpecialKind;
import dev.fraiseql.observers.schemas.SpecialValue;
import dev.fraiseql.observers.schemas.TimeValue;
import dev.fraiseql.observers.schemas.UuidValue;
import dev.fraiseql.observers.schemas.Value;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Converts row images between their wire form (a map of Avro {@link Value}s) and plain Java values.
 * Every other part of the product works with the Java form:
 *
 * <table>
 *   <caption>Java types of column values</caption>
 *   <tr><th>column kind</th><th>Java type</th></tr>
 *   <tr><td>null</td><td>{@code null}</td></tr>
 *   <tr><td>boolean</td><td>{@link Boolean}</td></tr>
 *   <tr><td>smallint, integer, bigint</td><td>{@link Long}</td></tr>
 *   <tr><td>real, double precision</td><td>{@link Double}</td></tr>
 *   <tr><td>numeric, decimal, money</td><td>{@link BigDecimal} (scale kept)</td></tr>
 *   <tr><td>text, varchar, char, enum, domain over text, tsvector, other</td><td>{@link String}</td></tr>
 *   <tr><td>bytea</td><td>{@code byte[]}</td></tr>
 *   <tr><td>timestamptz</td><td>{@link Instant} (microsecond precision)</td></tr>
 *   <tr><td>timestamp</td><td>{@link LocalDateTime}</td></tr>
 *   <tr><td>date</td><td>{@link LocalDate}</td></tr>
 *   <tr><td>time</td><td>{@link LocalTime}</td></tr>
 *   <tr><td>timetz</td><td>{@link OffsetTime}</td></tr>
 *   <tr><td>uuid</td><td>{@link UUID}</td></tr>
 *   <tr><td>json, jsonb</td><td>{@link Json}</td></tr>
 *   <tr><td>interval</td><td>{@link Interval}</td></tr>
 *   <tr><td>infinity, -infinity</td><td>{@link Infinity}</td></tr>
 *   <tr><td>arrays</td><td>{@link List} of the above</td></tr>
 * </table>
 *
 * <p>Maps keep their column order. Integers of other widths are widened to {@link Long} on the way
 * in; any other Java type is rejected with the field name, so a wrong value cannot reach a topic.
 */
public final class RowCodec {

    private RowCodec() {}

    /** Wire form to Java form; a null row stays null. */
    public static Map<String, Object> toJava(Map<String, Value> row) {
        if (row == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>(Math.max(4, row.size() * 2));
        row.forEach((name, value) -> out.put(name, toJava(value)));
        return Collections.unmodifiableMap(out);
    }

    /** Java form to wire form; a null row stays null. */
    public static Map<String, Value> toAvro(Map<String, ?> row) {
        if (row == null) {
            return null;
        }
        Map<String, Value> out = new LinkedHashMap<>(Math.max(4, row.size() * 2));
        row.forEach((name, value) -> out.put(name, toAvro(name, value)));
        return out;
    }

    /** One wire value to its Java form. */
    public static Object toJava(Value value) {
        return value == null ? null : unwrap(value.getValue());
    }

    /** One Java value to its wire form; the field name is used only in error messages. */
    public static Value toAvro(String field, Object value) {
        return new Value(wrap(field, value));
    }

    private static Object unwrap(Object wire) {
        if (wire == null
                || wire instanceof Boolean
                || wire instanceof Long
                || wire instanceof Double) {
            return wire;
        }
        if (wire instanceof CharSequence text) {
            return text.toString();
        }
        if (wire instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return bytes;
        }
        if (wire instanceof DecimalValue decimal) {
            return new BigDecimal(decimal.getText());
        }
        if (wire instanceof InstantValue instant) {
            return Instant.EPOCH.plus(instant.getEpochMicros(), ChronoUnit.MICROS);
        }
        if (wire instanceof LocalDateTimeValue local) {
            return LocalDateTime.parse(local.getIso());
        }
        if (wire instanceof DateValue date) {
            return LocalDate.ofEpochDay(date.getEpochDay());
        }
        if (wire instanceof TimeValue time) {
            return LocalTime.ofNanoOfDay(time.getNanoOfDay());
        }
        if (wire instanceof OffsetTimeValue time) {
            return OffsetTime.parse(time.getIso());
        }
        if (wire instanceof UuidValue uuid) {
            return UUID.fromString(uuid.getText());
        }
        if (wire instanceof JsonValue json) {
            return new Json(json.getJson());
        }
        if (wire instanceof IntervalValue interval) {
            return new Interval(interval.getIso());
        }
        if (wire instanceof SpecialValue special) {
            return special.getKind() == SpecialKind.POSITIVE_INFINITY
                    ? Infinity.POSITIVE
                    : Infinity.NEGATIVE;
        }
        if (wire instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object element : list) {
                out.add(toJava((Value) element));
            }
            return Collections.unmodifiableList(out);
        }
        throw new IllegalArgumentException("unknown wire value type " + wire.getClass().getName());
    }

    private static Object wrap(String field, Object value) {
        if (value == null
                || value instanceof Boolean
                || value instanceof Long
                || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return Double.valueOf(f.toString());
        }
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof byte[] bytes) {
            return ByteBuffer.wrap(bytes.clone());
        }
        if (value instanceof BigDecimal decimal) {
            return new DecimalValue(decimal.toPlainString());
        }
        if (value instanceof Instant instant) {
            return new InstantValue(ChronoUnit.MICROS.between(Instant.EPOCH, instant));
        }
        if (value instanceof LocalDateTime local) {
            return new LocalDateTimeValue(local.toString());
        }
        if (value instanceof LocalDate date) {
            return new DateValue(Math.toIntExact(date.toEpochDay()));
        }
        if (value instanceof LocalTime time) {
            return new TimeValue(time.toNanoOfDay());
        }
        if (value instanceof OffsetTime time) {
            return new OffsetTimeValue(time.toString());
        }
        if (value instanceof UUID uuid) {
            return new UuidValue(uuid.toString());
        }
        if (value instanceof Json json) {
            return new JsonValue(json.text());
        }
        if (value instanceof Interval interval) {
            return new IntervalValue(interval.iso());
        }
        if (value instanceof Infinity infinity) {
            return new SpecialValue(
                    infinity == Infinity.POSITIVE
                            ? SpecialKind.POSITIVE_INFINITY
                            : SpecialKind.NEGATIVE_INFINITY);
        }
        if (value instanceof List<?> list) {
            List<Value> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(toAvro(field + "[" + i + "]", list.get(i)));
            }
            return out;
        }
        throw new IllegalArgumentException(
                "field '"
                        + field
                        + "' has a value of unsupported type "
                        + value.getClass().getName()
                        + "; convert it to one of the types listed in RowCodec");
    }
}
