package dev.fraiseql.observers.core.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * What to do with a job after a failed attempt: try again after a delay, or dead-letter it with a
 * reason.
 *
 * @param retry true to try again
 * @param delay the jittered delay before the next attempt (with any {@code Retry-After} applied)
 * @param nominalDelay the policy's delay before the next attempt, without jitter: it names the
 *     retry topic the job waits in
 * @param deadLetterReason why the job goes to the dead-letter topic, when {@code retry} is false
 */
public record RetryDecision(
        boolean retry, Duration delay, Duration nominalDelay, String deadLetterReason) {

    public RetryDecision {
        if (retry) {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(nominalDelay, "nominalDelay");
        } else {
            Objects.requireNonNull(deadLetterReason, "deadLetterReason");
        }
    }

    /** A decision to dead-letter the job. */
    public static RetryDecision deadLetter(String reason) {
        return new RetryDecision(false, null, null, reason);
    }

    /**
     * Decides after attempt {@code failedAttempt} failed.
     *
     * @param policy the action's retry policy
     * @param failedAttempt the attempt that failed, from 1
     * @param retriable whether the failure is worth another attempt
     * @param retryAfter the delay the receiver asked for, or {@code null}
     * @param random a source of uniform numbers in [0, 1) for the jitter
     */
    public static RetryDecision after(
            RetryPolicy policy,
            int failedAttempt,
            boolean retriable,
            Duration retryAfter,
            DoubleSupplier random) {
        if (!retriable) {
            return deadLetter("permanent failure");
        }
        if (failedAttempt >= policy.maxAttempts()) {
            return deadLetter("gave up after " + failedAttempt + " attempts (max_attempts)");
        }
        if (retryAfter != null && retryAfter.compareTo(policy.maxDelay()) > 0) {
            return deadLetter(
                    "Retry-After of "
                            + retryAfter.toSeconds()
                            + " s exceeds max_delay of "
                            + policy.maxDelay().toSeconds()
                            + " s");
        }

        Duration nominal = policy.nominalDelayBefore(failedAttempt + 1);
        Duration delay = jittered(nominal, policy, random.getAsDouble());
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            delay = retryAfter;
        }
        return new RetryDecision(true, delay, nominal, null);
    }

    /** The nominal delay spread by plus or minus {@code jitter}, never above {@code maxDelay}. */
    static Duration jittered(Duration nominal, RetryPolicy policy, double uniform) {
        double factor = 1.0 + policy.jitter() * (2.0 * uniform - 1.0);
        long millis = Math.round(nominal.toMillis() * factor);
        return Duration.ofMillis(Math.max(0, Math.min(millis, policy.maxDelay().toMillis())));
    }
}
