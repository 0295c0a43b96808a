package dev.fraiseql.observers.core.config.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The type of a configuration key: its name in the reference and how a raw YAML value (a string,
 * number, boolean, list or map) becomes a typed value. Strings are accepted for every scalar type
 * because {@code ${env:...}} expansion always yields text.
 *
 * @param <T> the Java type of the parsed value
 */
public final class ConfigType<T> {
    /** Free text. */
    public static final ConfigType<String> STRING =
            new ConfigType<>("string", raw -> scalarText(raw, "a text value"));

    /** A whole number. */
    public static final ConfigType<Integer> INT = new ConfigType<>("int", ConfigType::toInt);

    /** {@code true} or {@code false}. */
    public static final ConfigType<Boolean> BOOLEAN =
            new ConfigType<>("boolean", ConfigType::toBoolean);

    /** A duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 24h}, {@code 7d}. */
    public static final ConfigType<Duration> DURATION =
            new ConfigType<>(
                    "duration",
                    raw -> DurationText.parse(scalarText(raw, "a duration such as 30s")));

    /** A retention: a duration, or {@code forever} (kept as {@link Retention#FOREVER}). */
    public static final ConfigType<Retention> RETENTION =
            new ConfigType<>("duration or forever", ConfigType::toRetention);

    /** A map of text settings passed through unchanged (Kafka client settings). */
    public static final ConfigType<Map<String, String>> PROPERTIES =
            new ConfigType<>("map of settings", raw -> Map.of());

    private final String name;
    private final Function<Object, T> parser;

    private ConfigType(String name, Function<Object, T> parser) {
        this.name = Objects.requireNonNull(name, "name");
        this.parser = Objects.requireNonNull(parser, "parser");
    }

    /** The type's name in the configuration reference. */
    public String name() {
        return name;
    }

    /**
     * Converts a raw YAML value.
     *
     * @throws IllegalArgumentException with a message that starts with "expected"
     */
    public T parse(Object raw) {
        return parser.apply(raw);
    }

    private static String scalarText(Object raw, String expected) {
        if (raw instanceof List<?>) {
            throw new IllegalArgumentException("expected " + expected + ", found a list");
        }
        if (raw instanceof Map<?, ?>) {
            throw new IllegalArgumentException("expected " + expected + ", found a map");
        }
        return String.valueOf(raw);
    }

    private static Integer toInt(Object raw) {
        if (raw instanceof Integer value) {
            return value;
        }
        String text = scalarText(raw, "a whole number").trim();
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number");
        }
    }

    private static Boolean toBoolean(Object raw) {
        if (raw instanceof Boolean value) {
            return value;
        }
        String text = scalarText(raw, "true or false").trim();
        if (text.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (text.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("expected true or false");
    }

    private static Retention toRetention(Object raw) {
        String text = scalarText(raw, "a duration or forever").trim();
        if (text.equalsIgnoreCase("forever")) {
            return Retention.FOREVER;
        }
        try {
            return Retention.of(DurationText.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected a duration such as 7d or 30d, or forever");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
