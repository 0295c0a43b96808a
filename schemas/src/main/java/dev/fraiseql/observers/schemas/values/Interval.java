package dev.fraiseql.observers.schemas.values;

import java.util.Objects;

/**
 * A PostgreSQL interval as ISO-8601 text with both period and duration parts ({@code
 * P1Y2M3DT4H5M6.5S}); months and days are kept apart from seconds, as PostgreSQL does.
 */
public record Interval(String iso) {
    public Interval {
        Objects.requireNonNull(iso, "iso");
        if (!iso.startsWith("P") && !iso.startsWith("-P")) {
            throw new IllegalArgumentException(
                    "interval must be ISO-8601 text starting with P: " + iso);
        }
    }
}
