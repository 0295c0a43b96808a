package dev.fraiseql.observers.core.action;

import dev.fraiseql.observers.core.retry.RetryPolicy;
import java.util.Map;
import java.util.Objects;

/**
 * One action of an observer as written in its file: the type ({@code webhook}, {@code slack},
 * {@code email}, {@code search}, {@code kafka}, {@code log}), the type's options after {@code
 * ${env:...}} expansion, and the retry policy.
 */
public record ActionSpec(String type, Map<String, Object> options, RetryPolicy retry) {
    public ActionSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(retry, "retry");
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}
