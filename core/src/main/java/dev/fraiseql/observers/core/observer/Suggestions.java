package dev.fraiseql.observers.core.observer;

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

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] =
                        Math.min(
                                Math.min(current[j - 1] + 1, previous[j] + 1),
                                previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
