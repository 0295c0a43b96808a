package dev.fraiseql.observers.core.observer.condition;

import dev.cel.common.values.NullValue;
import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Operation;
import dev.fraiseql.observers.schemas.SourcePosition;
import dev.fraiseql.observers.schemas.values.RowCodec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One change event as the variables of a condition: {@code op}, {@code entity}, {@code key}, {@code
 * before}, {@code after}, {@code changed} and {@code source}. Built once per event and shared by
 * every observer tested against it; rows are converted lazily, field by field.
 *
 * <p>Not thread-safe: a context belongs to the one event being matched on one stream thread.
 */
public final class EventContext {
    /** The hidden variable through which {@code changed(...)} and friends reach the event. */
    static final String VARIABLE = "__event";

    private final Operation op;
    private final RowView before;
    private final RowView after;
    private final Set<String> changed;
    private final Map<String, Object> activation;

    private EventContext(
            Operation op,
            String entity,
            Map<String, Object> key,
            Map<String, Object> before,
            Map<String, Object> after,
            List<String> changed,
            Set<String> unavailable,
            Map<String, Object> source) {
        this.op = Objects.requireNonNull(op, "op");
        this.before = before == null ? null : new RowView("before", before, unavailable);
        this.after = after == null ? null : new RowView("after", after, unavailable);
        this.changed = new LinkedHashSet<>(changed);
        Map<String, Object> vars = new HashMap<>(16);
        vars.put("op", op.name().toLowerCase(Locale.ROOT));
        vars.put("entity", entity);
        vars.put("key", new RowView("key", key == null ? Map.of() : key, Set.of()));
        vars.put("before", this.before == null ? NullValue.NULL_VALUE : this.before);
        vars.put("after", this.after == null ? NullValue.NULL_VALUE : this.after);
        vars.put("changed", List.copyOf(changed));
        vars.put("source", new RowView("source", source, Set.of()));
        vars.put(VARIABLE, this);
        this.activation = Collections.unmodifiableMap(vars);
    }

    /** The context of a normalized change event, its rows converted with {@link RowCodec}. */
    public static EventContext of(ChangeEvent event) {
        return new EventContext(
                event.getOp(),
                event.getEntity(),
                RowCodec.toJava(event.getKey()),
                RowCodec.toJava(event.getBefore()),
                RowCodec.toJava(event.getAfter()),
                strings(event.getChanged()),
                new LinkedHashSet<>(strings(event.getUnavailable())),
                source(event));
    }

    /**
     * A context from plain Java rows (the types {@link RowCodec} documents), for tests and for
     * tools that evaluate a condition outside the topology.
     */
    public static EventContext of(
            Operation op,
            String entity,
            Map<String, ?> key,
            Map<String, ?> before,
            Map<String, ?> after,
            List<String> changed,
            Set<String> unavailable) {
        return new EventContext(
                op,
                entity,
                copy(key),
                copy(before),
                copy(after),
                changed,
                Set.copyOf(unavailable),
                Map.of("connector", "test", "connectorType", "test"));
    }

    Map<String, Object> activation() {
        return activation;
    }

    Operation op() {
        return op;
    }

    RowView before() {
        return before;
    }

    RowView after() {
        return after;
    }

    /** True when the field counts as changed: listed in {@code changed}, or set by an insert. */
    boolean isChanged(String field) {
        if (changed.contains(field)) {
            return true;
        }
        return op == Operation.CREATE && after != null && after.has(field);
    }

    private static Map<String, Object> copy(Map<String, ?> row) {
        // LinkedHashMap, not Map.copyOf: rows hold nulls.
        return row == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(row));
    }

    private static List<String> strings(List<? extends CharSequence> texts) {
        List<String> out = new ArrayList<>(texts.size());
        texts.forEach(text -> out.add(text.toString()));
        return out;
    }

    private static Map<String, Object> source(ChangeEvent event) {
        SourcePosition position = event.getSource();
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("connector", event.getConnector());
        source.put("connectorType", position.getConnectorType());
        source.put("database", position.getDatabase());
        source.put("txId", position.getTxId());
        source.put("commitLsn", position.getCommitLsn());
        source.put("changeLsn", position.getChangeLsn());
        source.put("binlogFile", position.getBinlogFile());
        source.put("binlogPosition", position.getBinlogPosition());
        source.put("binlogRow", position.getBinlogRow());
        source.put("snapshot", position.getSnapshot());
        source.put("commitTime", micros(event.getCommitTimeMicros()));
        source.put("captureTime", micros(event.getCaptureTimeMicros()));
        source.replaceAll((name, value) -> value instanceof CharSequence s ? s.toString() : value);
        return Collections.unmodifiableMap(source);
    }

    private static Instant micros(long epochMicros) {
        return Instant.EPOCH.plus(epochMicros, ChronoUnit.MICROS);
    }
}
