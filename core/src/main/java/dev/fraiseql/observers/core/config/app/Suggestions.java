package dev.fraiseql.observers.core.config.app;

import dev.fraiseql.observers.core.config.EditDistance;
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

    static int distance(String a, String b) {
        return EditDistance.between(a, b);
    }
}
