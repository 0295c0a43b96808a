package dev.fraiseql.observers.streams.topology.normalize;

import dev.fraiseql.observers.schemas.Operation;
import dev.fraiseql.observers.schemas.SourcePosition;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One row change read from a Debezium envelope, with column values already in the Java types that
 * {@code RowCodec} documents, before the entity cache has filled gaps.
 *
 * <p>Row maps keep column order and may hold null values. A column whose value Debezium did not
 * send (an unchanged TOAST column) holds {@link #UNAVAILABLE} in {@code after} / {@code before} and
 * is listed in {@code placeholderAfter} / {@code placeholderBefore}; the entity cache replaces it
 * before the change leaves the topology.
 *
 * @param connector the connector name
 * @param entity {@code schema.table}
 * @param op the operation
 * @param key the primary-key columns (empty for a table without a key and for TRUNCATE)
 * @param before the row before the change, null when the source did not send it
 * @param after the row after the change, null for DELETE and TRUNCATE
 * @param placeholderBefore columns of {@code before} that held the unavailable-value placeholder
 * @param placeholderAfter columns of {@code after} that held the unavailable-value placeholder
 * @param source the source position
 * @param commitTimeMicros source commit time
 * @param captureTimeMicros when Debezium read the change
 */
public record NormalizedChange(
        String connector,
        String entity,
        Operation op,
        Map<String, Object> key,
        Map<String, Object> before,
        Map<String, Object> after,
        Set<String> placeholderBefore,
        Set<String> placeholderAfter,
        SourcePosition source,
        long commitTimeMicros,
        long captureTimeMicros) {

    /** The value of a column that held Debezium's unavailable-value placeholder. */
    public static final Object UNAVAILABLE =
            new Object() {
                @Override
                public String toString() {
                    return "<unavailable>";
                }
            };

    public NormalizedChange {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(placeholderBefore, "placeholderBefore");
        Objects.requireNonNull(placeholderAfter, "placeholderAfter");
        Objects.requireNonNull(source, "source");
        placeholderBefore = Set.copyOf(placeholderBefore);
        placeholderAfter = Set.copyOf(placeholderAfter);
    }
}
