package dev.fraiseql.observers.core.action;

import dev.fraiseql.observers.core.retry.RetryPolicy;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One action of an observer as written in its file: the type ({@code webhook}, {@code slack},
 * {@code email}, {@code search}, {@code kafka}, {@code log}), the type's options after {@code
 * ${env:...}} expansion, and the retry policy.
 *
 * <p>The options hold credentials, so {@link #toString()} prints every credential as {@code
 * [hidden]}: options named like a secret ({@code secret}, {@code password}, {@code token}, ...),
 * the values of extra {@code headers} (an {@code Authorization} header is a credential), and the
 * URL of a Slack action (its path is the credential). Other URLs are printed without their
 * user-info part.
 */
public record ActionSpec(String type, Map<String, Object> options, RetryPolicy retry) {
    private static final String HIDDEN = "[hidden]";

    public ActionSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(retry, "retry");
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /** True for an option name that holds a credential, whatever the action type. */
    public static boolean isSecretOption(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.contains("secret")
                || lower.contains("password")
                || lower.contains("token")
                || lower.contains("api_key")
                || lower.contains("apikey")
                || lower.equals("authorization");
    }

    /** The options as they may be printed: credentials masked as described on the type. */
    public Map<String, Object> maskedOptions() {
        Map<String, Object> shown = new LinkedHashMap<>();
        new TreeMap<>(options)
                .forEach(
                        (name, value) -> {
                            if (isSecretOption(name)
                                    || name.equals("url") && type.equals("slack")) {
                                shown.put(name, HIDDEN);
                            } else if (name.equals("headers") && value instanceof Map<?, ?> map) {
                                Map<Object, Object> headers = new LinkedHashMap<>();
                                map.keySet().forEach(header -> headers.put(header, HIDDEN));
                                shown.put(name, headers);
                            } else if (name.equals("url")) {
                                shown.put(name, HttpActions.withoutUserInfo(value.toString()));
                            } else {
                                shown.put(name, value);
                            }
                        });
        return shown;
    }

    @Override
    public String toString() {
        return "ActionSpec[type="
                + type
                + ", options="
                + maskedOptions()
                + ", retry="
                + retry
                + "]";
    }
}
