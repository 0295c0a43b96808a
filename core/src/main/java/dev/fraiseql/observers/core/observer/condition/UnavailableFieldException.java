package dev.fraiseql.observers.core.observer.condition;

/**
 * Thrown inside an evaluation when a condition reads a field whose value is unknown (a TOAST
 * placeholder met a cold entity cache). It ends the evaluation: a condition that depends on an
 * unknown value must not fire on a guess.
 */
final class UnavailableFieldException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    UnavailableFieldException(String image, String field) {
        super(image + "." + field + " is unavailable (its value was not sent and is not cached)");
        this.field = field;
    }

    String field() {
        return field;
    }
}
