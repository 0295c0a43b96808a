package dev.fraiseql.observers.core.observer.condition;

import java.util.Objects;

/**
 * A syntax or type error in a condition, at a 1-based line and column of the condition's text.
 *
 * @param line the line in the condition text, from 1; 0 when unknown
 * @param column the column in that line, from 1; 0 when unknown
 * @param message what is wrong, as CEL reports it
 */
public record ConditionIssue(int line, int column, String message) {
    public ConditionIssue {
        Objects.requireNonNull(message, "message");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must be >= 0");
        }
    }
}
