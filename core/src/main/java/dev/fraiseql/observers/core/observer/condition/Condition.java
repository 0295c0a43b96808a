package dev.fraiseql.observers.core.observer.condition;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Objects;

/**
 * A compiled condition: compiled and planned once at load, evaluated per event. Evaluation never
 * throws: a field that is unavailable and a run-time error are both returned as a verdict, so a bad
 * condition cannot stop the stream thread that evaluates it.
 */
public final class Condition {
    private final String text;
    private final CelRuntime.Program program;

    Condition(String text, CelRuntime.Program program) {
        this.text = Objects.requireNonNull(text, "text");
        this.program = Objects.requireNonNull(program, "program");
    }

    /** The condition as written. */
    public String text() {
        return text;
    }

    /** Tests the condition against one event. */
    public Evaluation evaluate(EventContext event) {
        Object result;
        try {
            result = program.eval(event.activation());
        } catch (CelEvaluationException | RuntimeException e) {
            return failure(e);
        }
        if (result instanceof Boolean matched) {
            return matched ? Evaluation.MATCH : Evaluation.NO_MATCH;
        }
        return Evaluation.error(
                "the condition returned "
                        + describe(result)
                        + ", not a boolean; compare it, for example 'after.status == \"shipped\"'");
    }

    private static Evaluation failure(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnavailableFieldException unavailable) {
                return Evaluation.unavailable(unavailable.field());
            }
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return Evaluation.error(message);
    }

    private static String describe(Object result) {
        return result == null ? "nothing" : "a value of type " + result.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return text;
    }
}
