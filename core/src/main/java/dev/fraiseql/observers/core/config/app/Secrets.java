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
     * jaas}, {@code secret}, {@code token}, {@code credential} or {@code user.info} ({@code
     * basic.auth.user.info}), or ending in {@code .key} ({@code ssl.keystore.key}).
     */
    public static boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.contains("password")
                || lower.contains("jaas")
                || lower.contains("secret")
                || lower.contains("token")
                || lower.contains("credential")
                || lower.contains("user.info")
                || lower.endsWith(".key");
    }

    /**
     * A URL with the {@code user:password@} part masked: {@code https://[hidden]@host/}. Other URLs
     * are returned as they are.
     */
    public static String maskUserInfo(String url) {
        if (url == null) {
            return null;
        }
        return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@?#]*@", "$1" + HIDDEN + "@");
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
