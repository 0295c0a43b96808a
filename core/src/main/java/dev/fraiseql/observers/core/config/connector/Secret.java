package dev.fraiseql.observers.core.config.connector;

import java.util.Objects;

/**
 * A configuration value that must never appear in a log, a dump or an error message. Its {@link
 * #toString()} prints {@code [hidden]}; only {@link #reveal()} gives the text, at the one place
 * that hands it to a database driver.
 */
public final class Secret {
    /** What every secret prints as. */
    public static final String MASK = "[hidden]";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** Wraps a secret text. */
    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The secret text; pass it only to the component that needs it, never to a logger. */
    public String reveal() {
        return value;
    }

    /** True when the secret text is empty. */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && secret.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return MASK;
    }
}
