package dev.fraiseql.observers.core.observer.condition;

import java.util.Objects;

/**
 * The outcome of testing one condition against one event.
 *
 * @param verdict whether the condition matched, and if not, why
 * @param detail for {@link Verdict#UNAVAILABLE} the field, for {@link Verdict#ERROR} the error;
 *     empty otherwise
 */
public record Evaluation(Verdict verdict, String detail) {
    /** The condition held. */
    public static final Evaluation MATCH = new Evaluation(Verdict.MATCH, "");

    /** The condition did not hold. */
    public static final Evaluation NO_MATCH = new Evaluation(Verdict.NO_MATCH, "");

    public Evaluation {
        Objects.requireNonNull(verdict, "verdict");
        detail = detail == null ? "" : detail;
    }

    /** What an evaluation decided. */
    public enum Verdict {
        /** The condition held: the observer fires. */
        MATCH,
        /** The condition did not hold. */
        NO_MATCH,
        /** The condition read a field whose value is unknown; it does not fire. */
        UNAVAILABLE,
        /** The condition failed at run time (or did not return a boolean); it does not fire. */
        ERROR
    }

    static Evaluation unavailable(String field) {
        return new Evaluation(Verdict.UNAVAILABLE, field);
    }

    static Evaluation error(String message) {
        return new Evaluation(Verdict.ERROR, message);
    }

    /** True when the observer fires. */
    public boolean matched() {
        return verdict == Verdict.MATCH;
    }
}
