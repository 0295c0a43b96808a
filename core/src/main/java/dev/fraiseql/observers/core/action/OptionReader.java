package dev.fraiseql.observers.core.action;

import dev.fraiseql.observers.core.config.EditDistance;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the options of one action with their types, collecting every problem instead of stopping at
 * the first one, so a validation run can report them all. Each problem names the option, the bad
 * value (never the value of a secret) and what is expected.
 */
public final class OptionReader {
    private final String type;
    private final Map<String, Object> options;
    private final Set<String> read = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();

    /** A reader over the options of an action of the given type. */
    public OptionReader(String type, Map<String, Object> options) {
        this.type = type;
        this.options = options == null ? Map.of() : options;
    }

    /** A required text option; a problem when it is missing or empty. */
    public String requiredString(String name, String example) {
        String value = optionalString(name, null);
        if (value == null || value.isBlank()) {
            problems.add(
                    type + "." + name + ": missing; set it, for example " + name + ": " + example);
            return "";
        }
        return value;
    }

    /** A text option with a default. */
    public String optionalString(String name, String fallback) {
        read.add(name);
        Object value = options.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            problems.add(type + "." + name + ": expected a text value, got a " + kind(value));
            return fallback;
        }
        return String.valueOf(value);
    }

    /** A secret: read like text, never echoed in a problem. */
    public String secret(String name) {
        read.add(name);
        Object value = options.get(name);
        return value == null ? null : String.valueOf(value);
    }

    /** A duration written as {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or ISO-8601. */
    public Duration duration(String name, Duration fallback) {
        String text = optionalString(name, null);
        if (text == null) {
            return fallback;
        }
        try {
            Duration value = parseDuration(text);
            if (value.isNegative() || value.isZero()) {
                problems.add(type + "." + name + ": must be positive, was '" + text + "'");
                return fallback;
            }
            return value;
        } catch (IllegalArgumentException e) {
            problems.add(
                    type
                            + "."
                            + name
                            + ": '"
                            + text
                            + "' is not a duration; write it like 500ms, 10s, 2m or 1h");
            return fallback;
        }
    }

    /** A whole number option. */
    public int integer(String name, int fallback, int min, int max) {
        String text = optionalString(name, null);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value < min || value > max) {
                problems.add(
                        type
                                + "."
                                + name
                                + ": must be between "
                                + min
                                + " and "
                                + max
                                + ", was "
                                + value);
                return fallback;
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(type + "." + name + ": '" + text + "' is not a whole number");
            return fallback;
        }
    }

    /** A yes/no option. */
    public boolean bool(String name, boolean fallback) {
        String text = optionalString(name, null);
        if (text == null) {
            return fallback;
        }
        String lower = text.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("false")) {
            return Boolean.parseBoolean(lower);
        }
        problems.add(type + "." + name + ": expected true or false, was '" + text + "'");
        return fallback;
    }

    /** One of a fixed set of words. */
    public String choice(String name, String fallback, Set<String> allowed) {
        String text = optionalString(name, null);
        if (text == null) {
            return fallback;
        }
        if (!allowed.contains(text)) {
            problems.add(
                    type + "." + name + ": '" + text + "' is not one of " + new TreeSet<>(allowed));
            return fallback;
        }
        return text;
    }

    /** A list of texts; a single text counts as a list of one. */
    public List<String> stringList(String name) {
        read.add(name);
        Object value = options.get(name);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (value instanceof Map<?, ?>) {
            problems.add(type + "." + name + ": expected a list, got a map");
            return List.of();
        }
        return List.of(String.valueOf(value));
    }

    /** A map of text to text (for example extra HTTP headers). */
    public Map<String, String> stringMap(String name) {
        read.add(name);
        Object value = options.get(name);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(type + "." + name + ": expected a map of names to values");
            return Map.of();
        }
        Map<String, String> result = new LinkedHashMap<>();
        map.forEach((k, v) -> result.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        return result;
    }

    /** A list of HTTP status codes (100 to 599). */
    public Set<Integer> statuses(String name) {
        Set<Integer> result = new TreeSet<>();
        for (String text : stringList(name)) {
            try {
                int status = Integer.parseInt(text.trim());
                if (status < 100 || status > 599) {
                    throw new NumberFormatException();
                }
                result.add(status);
            } catch (NumberFormatException e) {
                problems.add(
                        type + "." + name + ": '" + text + "' is not an HTTP status (100-599)");
            }
        }
        return Set.copyOf(result);
    }

    /** Adds a problem found by the caller (a rule across options). */
    public void problem(String option, String message) {
        problems.add(type + "." + option + ": " + message);
    }

    /** The known option nearest to a misspelt one, when it is a near miss. */
    private Optional<String> closest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : read) {
            int distance = EditDistance.between(name.toLowerCase(Locale.ROOT), known);
            if (distance < bestDistance) {
                best = known;
                bestDistance = distance;
            }
        }
        // Two edits catch a doubled or dropped letter and a swap; more is a different word.
        return bestDistance <= Math.min(2, Math.max(1, name.length() / 3))
                ? Optional.of(best)
                : Optional.empty();
    }

    /** Reports every option that no getter asked for, so typos do not pass silently. */
    public void rejectUnknown() {
        for (String name : options.keySet()) {
            if (!read.contains(name)) {
                problems.add(
                        type
                                + "."
                                + name
                                + ": unknown option"
                                + closest(name).map(c -> " (did you mean '" + c + "'?)").orElse("")
                                + "; known options are "
                                + read);
            }
        }
    }

    /** The problems found so far. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Throws with every problem when there is any. */
    public void throwIfInvalid() {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** Parses {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, {@code 1d} or ISO-8601. */
    public static Duration parseDuration(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (trimmed.startsWith("p")) {
                return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            }
            if (trimmed.endsWith("ms")) {
                return Duration.ofMillis(
                        Long.parseLong(trimmed.substring(0, trimmed.length() - 2)));
            }
            long amount = Long.parseLong(trimmed.substring(0, trimmed.length() - 1));
            return switch (trimmed.charAt(trimmed.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new IllegalArgumentException("no unit in '" + text + "'");
            };
        } catch (NumberFormatException
                | DateTimeParseException
                | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "'", e);
        }
    }

    private static String kind(Object value) {
        return value instanceof Map<?, ?> ? "map" : "list";
    }
}
