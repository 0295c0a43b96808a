package dev.fraiseql.observers.streams.http;

import java.util.Objects;

/**
 * What one part says about itself: whether it is ready, its lifecycle state, and why it is not
 * ready.
 *
 * @param status ready, not ready yet, or failed
 * @param state the part's lifecycle state as text ({@code RUNNING}, {@code REBALANCING})
 * @param reason why it is not ready; empty when ready
 */
public record Health(Health.Status status, String state, String reason) {

    /** Readiness of a part. A failed part also makes the process not live. */
    public enum Status {
        /** Doing its work. */
        READY,
        /** Starting, rebalancing, or waiting for something; expected to recover by itself. */
        NOT_READY,
        /** Broken for good: a person must act, and the process should be restarted. */
        FAILED
    }

    public Health {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
    }

    public static Health ready(String state) {
        return new Health(Status.READY, state, "");
    }

    public static Health notReady(String state, String reason) {
        return new Health(Status.NOT_READY, state, reason);
    }

    public static Health failed(String state, String reason) {
        return new Health(Status.FAILED, state, reason);
    }

    public boolean isReady() {
        return status == Status.READY;
    }
}
