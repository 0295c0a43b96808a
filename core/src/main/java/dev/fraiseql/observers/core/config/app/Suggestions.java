package dev.fraiseql.observers.core.config.app;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Finds the known name closest to a misspelt one, for "did you mean ...?" hints. */
final class Suggestions {
    private Suggestions() {}

    /** The closest candidate within a few edits, if any. */
    static Optional<String> didYouMean(String written, Collection<String> candidates) {
        int limit = Math.max(2, written.length() / 4);
        return candidates.stream()
                .filter(candidate -> distance(written, candidate) <= limit)
                .min(Comparator.comparingInt(candidate -> distance(written, candidate)));
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] =
                        Math.min(
                                Math.min(current[j - 1] + 1, previous[j] + 1),
                                previous[j - 1] + substitution);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
