package dev.fraiseql.observers.core.action;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The action types an observer may name, each with the validator of its options. {@link
 * #standard()} knows the six built-in types and checks their required options; a part that runs
 * actions replaces a type's validator with its own, fuller one through {@link #with}, so the rules
 * for an option live next to the code that reads it:
 *
 * <pre>{@code
 * ActionOptionsValidators validators = ActionOptionsValidators.standard()
 *         .with("webhook", webhookExecutor::validate);
 * }</pre>
 *
 * Immutable; {@link #with} returns a new registry.
 */
public final class ActionOptionsValidators {
    private final Map<String, ActionOptionsValidator> byType;

    private ActionOptionsValidators(Map<String, ActionOptionsValidator> byType) {
        this.byType = Collections.unmodifiableMap(new LinkedHashMap<>(byType));
    }

    /**
     * The built-in types with their required options: {@code webhook.url}, {@code slack.url},
     * {@code email.to}, {@code email.from}, {@code email.smtp_host}, {@code search.url}, {@code
     * search.index}, {@code kafka.topic}; {@code log} needs none.
     */
    public static ActionOptionsValidators standard() {
        Map<String, ActionOptionsValidator> types = new LinkedHashMap<>();
        types.put("webhook", options -> required("webhook", options, "url", HTTP_EXAMPLE));
        types.put("slack", options -> required("slack", options, "url", SLACK_EXAMPLE));
        types.put(
                "email",
                options ->
                        required(
                                "email",
                                options,
                                "to",
                                "ops@example.test",
                                "from",
                                "observers@example.test",
                                "smtp_host",
                                "smtp.example.test"));
        types.put(
                "search",
                options ->
                        required(
                                "search",
                                options,
                                "url",
                                "http://127.0.0.1:9200",
                                "index",
                                "rentals"));
        types.put("kafka", options -> required("kafka", options, "topic", "rentals.returned"));
        types.put("log", options -> List.of());
        return new ActionOptionsValidators(types);
    }

    private static final String HTTP_EXAMPLE = "https://hooks.example.test/rentals";
    private static final String SLACK_EXAMPLE = "https://hooks.slack.example.test/services/T0/B0/X";

    /** A registry where {@code type} is validated by {@code validator} (added or replaced). */
    public ActionOptionsValidators with(String type, ActionOptionsValidator validator) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(validator, "validator");
        Map<String, ActionOptionsValidator> copy = new LinkedHashMap<>(byType);
        copy.put(type, validator);
        return new ActionOptionsValidators(copy);
    }

    /** The known action types, in registration order. */
    public Set<String> types() {
        return byType.keySet();
    }

    /** The validator of a type, or empty when the type is unknown. */
    public Optional<ActionOptionsValidator> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** Pairs of option name and example value; URLs must also be absolute http(s) URLs. */
    private static List<String> required(
            String type, Map<String, Object> options, String... namesAndExamples) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < namesAndExamples.length; i += 2) {
            String name = namesAndExamples[i];
            String example = namesAndExamples[i + 1];
            Object value = options.get(name);
            if (value == null || String.valueOf(value).isBlank()) {
                problems.add(
                        type
                                + "."
                                + name
                                + ": missing; set it, for example "
                                + name
                                + ": "
                                + example);
            } else if (value instanceof Map<?, ?> || value instanceof List<?>) {
                problems.add(
                        type + "." + name + ": expected a single value, for example " + example);
            } else if (name.equals("url") && !isHttpUrl(String.valueOf(value))) {
                problems.add(
                        type
                                + "."
                                + name
                                + ": not an absolute http or https URL; write it like "
                                + example);
            }
        }
        return problems;
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
