package dev.fraiseql.observers.core.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * How an action is retried: {@code delay(n) = min(initialDelay * multiplier^(n-1), maxDelay)},
 * spread by {@code jitter} (a fraction: 0.2 means plus or minus 20 percent).
 *
 * @param maxAttempts attempts in all, the first one included (1 means never retry)
 * @param initialDelay the delay before the second attempt
 * @param multiplier the growth factor of the delay from one attempt to the next
 * @param maxDelay the cap of any delay, and of a receiver's {@code Retry-After}
 * @param jitter the random spread of each delay, from 0 to 1
 */
public record RetryPolicy(
        int maxAttempts,
        Duration initialDelay,
        double multiplier,
        Duration maxDelay,
        double jitter) {

    /** The policy of an action that names none: 8 attempts, 1 s doubling to 10 min, 20% jitter. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(8, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(10), 0.2);

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "max_attempts must be at least 1, was " + maxAttempts);
        }
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException(
                    "initial_delay must be positive, was " + initialDelay);
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException(
                    "max_delay ("
                            + maxDelay
                            + ") must not be shorter than initial_delay ("
                            + initialDelay
                            + ")");
        }
        if (jitter < 0.0 || jitter > 1.0) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
    }

    /**
     * The nominal delay (no jitter) before the given attempt; attempt 2 waits {@code initialDelay}.
     * This is also the name of the retry topic the job waits in.
     */
    public Duration nominalDelayBefore(int attempt) {
        if (attempt < 2) {
            throw new IllegalArgumentException(
                    "attempt must be at least 2 to have a delay, was " + attempt);
        }
        double millis = initialDelay.toMillis() * Math.pow(multiplier, attempt - 2);
        long capped = (long) Math.min(millis, (double) maxDelay.toMillis());
        return Duration.ofMillis(capped);
    }
}
