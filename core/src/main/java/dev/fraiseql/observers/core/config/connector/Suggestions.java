package dev.fraiseql.observers.core.config.connector;

import dev.fraiseql.observers.core.config.EditDistance;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known word closest to a misspelt one, for "did you mean" hints. */
final class Suggestions {
    private Suggestions() {}

    /** The closest candidate within a small edit distance, if there is one. */
    static Optional<String> closest(String word, Collection<String> candidates) {
        String lower = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // Allow about one typo per four letters, at least two, so 'hots' finds 'host' but
        // 'colour' does not find 'name'.
        int allowed = Math.max(2, lower.length() / 4);
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    /** "did you mean 'x'?" or the list of allowed words. */
    static String hint(String word, Collection<String> candidates) {
        return closest(word, candidates)
                .map(c -> "did you mean '" + c + "'?")
                .orElse("use one of: " + String.join(", ", candidates));
    }

    private static int distance(String a, String b) {
        return EditDistance.between(a, b);
    }
}
