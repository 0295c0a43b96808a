package dev.fraiseql.observers.core.config.app;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decides which settings are secret and masks their values as {@code [hidden]}, the way Kafka's
 * {@code Password} type prints, so they never reach a log line or a problem report.
 */
public final class Secrets {
    /** What a secret value prints as. */
    public static final String HIDDEN = "[hidden]";

    private Secrets() {}

    /**
     * True for setting names that hold credentials: any name containing {@code password}, {@code
     * jaas}, {@code secret} or {@code token}, or ending in {@code .key} ({@code ssl.keystore.key}).
     */
    public static boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.contains("password")
                || lower.contains("jaas")
                || lower.contains("secret")
                || lower.contains("token")
                || lower.endsWith(".key");
    }

    /** The value, or {@code [hidden]} when the name is secret. */
    public static String mask(String name, String value) {
        return value != null && isSecret(name) ? HIDDEN : value;
    }

    /** A copy of the settings with every secret value masked, for logs and printing. */
    public static Map<String, String> masked(Map<String, String> settings) {
        Map<String, String> copy = new LinkedHashMap<>();
        settings.forEach((name, value) -> copy.put(name, mask(name, value)));
        return copy;
    }
}
