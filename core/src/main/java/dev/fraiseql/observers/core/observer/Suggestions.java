package dev.fraiseql.observers.core.observer;

import dev.fraiseql.observers.core.config.EditDistance;
import java.util.Collection;
import java.util.Comparator;

/** "Did you mean ...?" hints for misspelt keys, operations and action types. */
final class Suggestions {
    private Suggestions() {}

    /** A fix that names the nearest candidate, or lists them all when none is near. */
    static String fix(String written, Collection<String> candidates) {
        int limit = Math.max(2, written.length() / 3);
        return candidates.stream()
                .min(Comparator.comparingInt(candidate -> distance(written, candidate)))
                .filter(nearest -> distance(written, nearest) <= limit)
                .map(nearest -> "did you mean '" + nearest + "'?")
                .orElse("use one of: " + String.join(", ", candidates));
    }

    static int distance(String a, String b) {
        return EditDistance.between(a, b);
    }
}
