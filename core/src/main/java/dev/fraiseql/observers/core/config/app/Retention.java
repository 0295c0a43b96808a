package dev.fraiseql.observers.core.config.app;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a topic keeps its records: a positive duration, or forever.
 *
 * @param duration the retention, or null for forever
 */
public record Retention(Duration duration) {
    /** Records are never deleted by age. */
    public static final Retention FOREVER = new Retention(null);

    public Retention {
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            throw new IllegalArgumentException("retention must be positive, was " + duration);
        }
    }

    /** A retention of the given positive duration. */
    public static Retention of(Duration duration) {
        return new Retention(Objects.requireNonNull(duration, "duration"));
    }

    /** The value of the topic setting {@code retention.ms}: -1 for forever. */
    public long retentionMs() {
        return duration == null ? -1L : duration.toMillis();
    }

    /** {@code forever} or the short form of the duration ({@code 7d}). */
    public String describe() {
        return duration == null ? "forever" : DurationText.format(duration);
    }

    @Override
    public String toString() {
        return describe();
    }
}
