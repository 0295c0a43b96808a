package dev.fraiseql.observers.core.observer.condition;

import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.StructValue;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A row image as the CEL runtime sees it: {@code after.amount} selects one field and converts only
 * that value (the planner would otherwise convert the whole map on every access), and the map view
 * serves {@code after['amount']}, {@code 'amount' in after} and {@code size(after)}.
 *
 * <p>Converted values are cached, because one view serves every observer of the event. A field
 * listed as unavailable throws {@link UnavailableFieldException} when its value is read. Not
 * thread-safe: a view belongs to the one event being matched.
 */
final class RowView extends StructValue<String, Map<String, Object>>
        implements Map<String, Object> {
    private static final CelType TYPE = MapType.create(SimpleType.STRING, SimpleType.DYN);

    private final String image;
    private final Map<String, Object> row;
    private final Set<String> unavailable;
    private final Map<String, Object> converted = new HashMap<>();

    RowView(String image, Map<String, Object> row, Set<String> unavailable) {
        this.image = image;
        this.row = row;
        this.unavailable = unavailable;
    }

    @Override
    public Object select(String field) {
        if (!row.containsKey(field)) {
            throw new IllegalArgumentException(
                    "no field '"
                            + field
                            + "' in "
                            + image
                            + " (fields: "
                            + String.join(", ", row.keySet())
                            + "); guard it with has("
                            + image
                            + "."
                            + field
                            + ")");
        }
        return valueOf(field);
    }

    @Override
    public Optional<Object> find(String field) {
        // Presence is known even when the value is not: has(after.x) does not read the value.
        return row.containsKey(field) ? Optional.of(presenceValue(field)) : Optional.empty();
    }

    private Object presenceValue(String field) {
        return unavailable.contains(field) ? Boolean.TRUE : valueOf(field);
    }

    /** The CEL value of a field known to exist. */
    Object valueOf(String field) {
        if (unavailable.contains(field)) {
            throw new UnavailableFieldException(image, field);
        }
        Object value = converted.get(field);
        if (value == null) {
            value = CelValues.toCel(row.get(field));
            converted.put(field, value);
        }
        return value;
    }

    /** True when the row has the field (whether or not its value is available). */
    boolean has(String field) {
        return row.containsKey(field);
    }

    @Override
    public Map<String, Object> value() {
        return this;
    }

    @Override
    public boolean isZeroValue() {
        return row.isEmpty();
    }

    @Override
    public CelType celType() {
        return TYPE;
    }

    @Override
    public int size() {
        return row.size();
    }

    @Override
    public boolean isEmpty() {
        return row.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return row.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        return entries().containsValue(value);
    }

    @Override
    public Object get(Object key) {
        return key instanceof String field && row.containsKey(field) ? valueOf(field) : null;
    }

    @Override
    public Set<String> keySet() {
        return row.keySet();
    }

    @Override
    public Collection<Object> values() {
        return entries().values();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return entries().entrySet();
    }

    private Map<String, Object> entries() {
        Map<String, Object> all = new LinkedHashMap<>();
        row.keySet().forEach(field -> all.put(field, valueOf(field)));
        return all;
    }

    @Override
    public Object put(String key, Object value) {
        throw new UnsupportedOperationException("a row image is read-only");
    }

    @Override
    public Object remove(Object key) {
        throw new UnsupportedOperationException("a row image is read-only");
    }

    @Override
    public void putAll(Map<? extends String, ?> m) {
        throw new UnsupportedOperationException("a row image is read-only");
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("a row image is read-only");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Map<?, ?> map && entries().equals(map);
    }

    @Override
    public int hashCode() {
        return entries().hashCode();
    }

    @Override
    public String toString() {
        return image + row.keySet();
    }
}
