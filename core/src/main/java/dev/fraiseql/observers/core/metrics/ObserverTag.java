package dev.fraiseql.observers.core.metrics;

import io.micrometer.core.instrument.Tag;
import java.util.regex.Pattern;

/**
 * The tag keys the product's metrics may carry. Every value comes from a small set (action types,
 * error classes, retry delays), never a key, an id or a URL, so the number of series stays bounded;
 * {@link ObserverMetrics} also caps the distinct values per tag.
 */
public enum ObserverTag {
    /** The action type: {@code webhook}, {@code slack}, {@code email}, {@code search}, ... */
    ACTION_TYPE("action_type"),
    /** The error class: {@code timeout}, {@code connection}, {@code http_5xx}, ... */
    ERROR_TYPE("error_type"),
    /** A retry topic's delay in short form: {@code 1s}, {@code 30s}, {@code 10m}. */
    DELAY("delay"),
    /** A connector's name, from its file: one series per configured connector. */
    CONNECTOR("connector"),
    /** A receiver host name of a configured action (no port, no path). */
    HOST("host");

    private static final Pattern VALUE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,39}");

    private final String key;

    ObserverTag(String key) {
        this.key = key;
    }

    /** The tag key as exported: {@code action_type}. */
    public String key() {
        return key;
    }

    /**
     * This tag with a value.
     *
     * @throws IllegalArgumentException when the value is not 1 to 40 lowercase letters, digits,
     *     '_', '.' or '-' (which keeps ids and URLs out)
     */
    public Tag is(String value) {
        if (value == null || !VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "tag "
                            + key
                            + " value must be 1 to 40 lowercase letters, digits, '_', '.' or '-',"
                            + " was '"
                            + value
                            + "'");
        }
        return Tag.of(key, value);
    }
}
