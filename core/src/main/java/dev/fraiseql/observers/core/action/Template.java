package dev.fraiseql.observers.core.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fraiseql.observers.schemas.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A text with {@code {{path}}} placeholders filled from a job, for Slack messages, email subjects
 * and bodies, and log lines.
 *
 * <p>A placeholder is only a path into the job's JSON form ({@link EventJson#jobDocument}): {@code
 * job_id}, {@code observer}, {@code action_index}, or a field of the event ({@code entity}, {@code
 * op}, {@code key.id}, {@code before.status}, {@code after.status}, {@code changed}, {@code
 * commit_time}, {@code source.commit_lsn}, ...), with an optional {@code event.} prefix. Nothing is
 * evaluated: no expressions, no method calls, no code. A missing field renders as an empty text.
 * Values are escaped for where the text goes ({@link Escape}).
 */
public final class Template {
    private static final Set<String> JOB_FIELDS =
            Set.of("job_id", "observer", "action_index", "event");
    private static final Set<String> EVENT_FIELDS =
            Set.of(
                    "id",
                    "connector",
                    "entity",
                    "op",
                    "key",
                    "before",
                    "after",
                    "changed",
                    "commit_time",
                    "source");

    /** How placeholder values are escaped. */
    public enum Escape {
        /**
         * As they are: the result is sent as a JSON string value by the action, or as plain text.
         */
        NONE,
        /** For a text pasted inside a JSON string literal. */
        JSON_STRING
    }

    private final String source;
    private final List<Object> parts;
    private final Escape escape;

    private Template(String source, List<Object> parts, Escape escape) {
        this.source = source;
        this.parts = parts;
        this.escape = escape;
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException naming the position and the placeholder when a placeholder
     *     is not closed or names an unknown field
     */
    public static Template parse(String source, Escape escape) {
        Objects.requireNonNull(source, "source");
        List<Object> parts = new ArrayList<>();
        int position = 0;
        while (position < source.length()) {
            int open = source.indexOf("{{", position);
            if (open < 0) {
                parts.add(source.substring(position));
                break;
            }
            int close = source.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException(
                        "placeholder opened at character " + (open + 1) + " is not closed with }}");
            }
            parts.add(source.substring(position, open));
            parts.add(path(source.substring(open + 2, close).trim(), open + 1));
            position = close + 2;
        }
        return new Template(source, List.copyOf(parts), escape);
    }

    /** The template's text as written. */
    public String source() {
        return source;
    }

    /** Fills the placeholders from a job. */
    public String render(Job job) {
        return render(EventJson.jobDocument(job));
    }

    /** Fills the placeholders from a job document already built. */
    public String render(ObjectNode document) {
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof String literal) {
                out.append(literal);
            } else {
                String value = lookup(document, (String[]) part);
                out.append(
                        escape == Escape.JSON_STRING
                                ? EventJson.escapeForJsonString(value)
                                : value);
            }
        }
        return out.toString();
    }

    private static String[] path(String text, int column) {
        String[] steps = text.split("\\.", -1);
        if (text.isEmpty() || List.of(steps).contains("")) {
            throw new IllegalArgumentException(
                    "placeholder at character "
                            + column
                            + " is empty or has an empty step: {{"
                            + text
                            + "}}");
        }
        if (steps[0].equals("event") && steps.length > 1) {
            // "event.after.x" and "after.x" name the same field.
            steps = java.util.Arrays.copyOfRange(steps, 1, steps.length);
            if (!EVENT_FIELDS.contains(steps[0])) {
                throw unknown(text, column);
            }
        }
        if (JOB_FIELDS.contains(steps[0])) {
            return steps;
        }
        if (EVENT_FIELDS.contains(steps[0])) {
            String[] qualified = new String[steps.length + 1];
            qualified[0] = "event";
            System.arraycopy(steps, 0, qualified, 1, steps.length);
            return qualified;
        }
        throw unknown(text, column);
    }

    private static IllegalArgumentException unknown(String text, int column) {
        return new IllegalArgumentException(
                "placeholder {{"
                        + text
                        + "}} at character "
                        + column
                        + " names no field; use job_id, observer, action_index or one of "
                        + EVENT_FIELDS.stream().sorted().toList()
                        + " (for example after.status)");
    }

    private static String lookup(JsonNode document, String[] path) {
        JsonNode node = document;
        for (String step : path) {
            node = node == null ? null : node.get(step);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        return node.isValueNode() ? node.asText() : EventJson.text(node);
    }

    @Override
    public String toString() {
        return source;
    }
}
