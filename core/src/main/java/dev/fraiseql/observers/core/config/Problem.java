package dev.fraiseql.observers.core.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration file: where it is, what was found, and how to fix it.
 *
 * @param file the file, relative to the config folder when known ({@code observers/orders.yaml})
 * @param line the 1-based line in that file, or 0 when unknown
 * @param path the location inside the file ({@code observers[2].when})
 * @param value the offending value as text, already masked when it is a secret; may be null
 * @param message what is wrong
 * @param fix how to fix it; may be empty
 */
public record Problem(
        String file, int line, String path, String value, String message, String fix) {

    public Problem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        fix = fix == null ? "" : fix;
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0, was " + line);
        }
    }

    /** One line for people: {@code file:line: path: message (value: 'v'); fix}. */
    public String describe() {
        StringBuilder text = new StringBuilder(file);
        if (line > 0) {
            text.append(':').append(line);
        }
        text.append(": ");
        if (!path.isEmpty()) {
            text.append(path).append(": ");
        }
        text.append(message);
        if (value != null) {
            text.append(" (value: '").append(value).append("')");
        }
        if (!fix.isEmpty()) {
            text.append("; ").append(fix);
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
