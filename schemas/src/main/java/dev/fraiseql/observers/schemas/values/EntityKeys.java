package dev.fraiseql.observers.schemas.values;

import dev.fraiseql.observers.schemas.ChangeEvent;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * The Kafka key of every record about one entity ({@code observers.events}, {@code observers.jobs}
 * and its retry and dead-letter topics) and the key of the {@code entity-state} store: the entity
 * name, a slash, and the canonical text of the primary key, for example {@code public.rental/42} or
 * {@code public.film_actor/1,23}.
 *
 * <p>The canonical key lists the key columns' values in key-column order, separated by commas; a
 * comma or backslash inside a value is escaped with a backslash. Values print as: decimals in plain
 * notation, instants and dates in ISO-8601, UUIDs in lower case, bytes in base64, SQL null as
 * {@code null}. The same text is the {@code {key}} of {@code GET /entities/{entity}/{key}}.
 */
public final class EntityKeys {

    private EntityKeys() {}

    /** The key of a change event. */
    public static String of(ChangeEvent event) {
        return of(event.getEntity(), RowCodec.toJava(event.getKey()));
    }

    /** The key of an entity given its primary-key columns in Java form. */
    public static String of(String entity, Map<String, ?> key) {
        return prefix(entity) + canonicalKey(key);
    }

    /** What every key of the entity starts with: the entity name and a slash. */
    public static String prefix(String entity) {
        Objects.requireNonNull(entity, "entity");
        if (entity.isEmpty() || entity.indexOf('/') >= 0) {
            throw new IllegalArgumentException(
                    "entity name '" + entity + "' must be non-empty and contain no '/'");
        }
        return entity + "/";
    }

    /** The canonical text of a primary key (empty for a table without one). */
    public static String canonicalKey(Map<String, ?> key) {
        StringBuilder out = new StringBuilder();
        for (Object value : key.values()) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            String text = text(value);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == ',' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String text(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Json json) {
            return json.text();
        }
        if (value instanceof Interval interval) {
            return interval.iso();
        }
        return value.toString();
    }
}
