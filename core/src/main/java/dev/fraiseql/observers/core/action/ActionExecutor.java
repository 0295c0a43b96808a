package dev.fraiseql.observers.core.action;

import dev.fraiseql.observers.schemas.Job;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Runs one attempt of one action type.
 *
 * <p>An executor never throws for a failed delivery: every failure, including an unexpected
 * exception, becomes an {@link ActionOutcome} that says whether a later attempt may succeed. It
 * never blocks the caller's thread on the receiver: slow receivers cost a pending future, not a
 * worker thread.
 */
public interface ActionExecutor extends AutoCloseable {

    /** The action type this executor runs: {@code webhook}, {@code slack}, ... */
    String type();

    /**
     * Checks the options of one action as written in an observer file and returns the problems
     * found, each naming the option and how to fix it; empty when the options are usable.
     */
    java.util.List<String> validate(Map<String, Object> options);

    /**
     * The host the action talks to, used for the per-host circuit breaker and concurrency limit;
     * empty for actions that talk to no remote host (for example {@code log}).
     */
    Optional<String> targetHost(ActionSpec spec);

    /** Runs one attempt; the stage always completes normally with an outcome. */
    CompletionStage<ActionOutcome> execute(Job job, ActionSpec spec);

    @Override
    default void close() {}
}
