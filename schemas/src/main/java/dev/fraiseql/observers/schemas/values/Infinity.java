package dev.fraiseql.observers.schemas.values;

/** PostgreSQL's {@code infinity} and {@code -infinity} for dates and timestamps. */
public enum Infinity {
    POSITIVE,
    NEGATIVE
}
