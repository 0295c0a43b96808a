package dev.fraiseql.observers.core.config.app;

import java.util.Objects;

/**
 * One configuration key, declared once: its dotted name in {@code application.yaml}, type, default,
 * rule and documentation. Validation and the generated reference ({@code docs/configuration.md})
 * both read this declaration, so the two cannot drift apart.
 *
 * @param name the dotted path in the file ({@code http.port})
 * @param type how the raw value is read
 * @param defaultValue the value when the key is absent; null when there is none
 * @param required true when an absent key is a problem
 * @param rule what a valid value must satisfy
 * @param doc one or two sentences for the reference
 * @param defaultDoc how the reference states the default, when it is not the plain value
 * @param <T> the type of the value
 */
public record ConfigKey<T>(
        String name,
        ConfigType<T> type,
        T defaultValue,
        boolean required,
        Rule<T> rule,
        String doc,
        String defaultDoc) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(doc, "doc");
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("required key " + name + " cannot have a default");
        }
        if (defaultValue != null && !rule.accepts(defaultValue)) {
            throw new IllegalArgumentException(
                    "default of " + name + " breaks its own rule: " + rule.description());
        }
    }

    /** A key with a default value. */
    public static <T> ConfigKey<T> of(
            String name, ConfigType<T> type, T defaultValue, Rule<T> rule, String doc) {
        return new ConfigKey<>(
                name, type, Objects.requireNonNull(defaultValue), false, rule, doc, null);
    }

    /** A key that may be absent, with no default. */
    public static <T> ConfigKey<T> optional(
            String name, ConfigType<T> type, Rule<T> rule, String doc) {
        return new ConfigKey<>(name, type, null, false, rule, doc, null);
    }

    /** A key whose default is stated in words because it comes from elsewhere. */
    public static <T> ConfigKey<T> inherited(
            String name, ConfigType<T> type, Rule<T> rule, String doc, String defaultDoc) {
        return new ConfigKey<>(name, type, null, false, rule, doc, defaultDoc);
    }

    /** The default as the reference shows it. */
    public String defaultText() {
        if (defaultDoc != null) {
            return defaultDoc;
        }
        if (required) {
            return "(required)";
        }
        if (defaultValue == null) {
            return "(none)";
        }
        if (defaultValue instanceof java.time.Duration duration) {
            return DurationText.format(duration);
        }
        return String.valueOf(defaultValue);
    }
}
