package dev.fraiseql.observers.core.config.app;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A validation rule of a configuration key: what the value must be, written the way the problem and
 * the reference say it ({@code must be between 1 and 65535}).
 *
 * @param description the rule as text, starting with "must"
 * @param test true when a value satisfies the rule
 * @param <T> the type of the values checked
 */
public record Rule<T>(String description, Predicate<T> test) {
    public Rule {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(test, "test");
    }

    /** Accepts every value. */
    public static <T> Rule<T> any() {
        return new Rule<>("", value -> true);
    }

    /** A whole number in {@code [min, max]}. */
    public static Rule<Integer> between(int min, int max) {
        return new Rule<>(
                "must be between " + min + " and " + max, value -> value >= min && value <= max);
    }

    /** A positive duration. */
    public static Rule<java.time.Duration> positive() {
        return new Rule<>("must be longer than 0", value -> !value.isZero() && !value.isNegative());
    }

    /** Text matching a regular expression, explained in words. */
    public static Rule<String> matches(String regex, String explanation) {
        Pattern pattern = Pattern.compile(regex);
        return new Rule<>(explanation, value -> pattern.matcher(value).matches());
    }

    /** True when the value passes. */
    public boolean accepts(T value) {
        return test.test(value);
    }
}
