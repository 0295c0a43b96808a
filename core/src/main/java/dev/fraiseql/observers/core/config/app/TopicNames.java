package dev.fraiseql.observers.core.config.app;

import java.time.Duration;
import java.util.Objects;

/**
 * The full names of the product's topics under one app prefix: {@code observers.events}, {@code
 * observers.jobs.retry.30s}, and so on. Every part takes its topic names from here.
 *
 * @param prefix the app prefix ({@code observers} by default)
 */
public record TopicNames(String prefix) {
    public TopicNames {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isBlank()) {
            throw new IllegalArgumentException("prefix must not be blank");
        }
    }

    /** The full name of a topic the product owns (for retry topics, use {@link #jobsRetry}). */
    public String name(ObserverTopic topic) {
        if (topic == ObserverTopic.JOBS_RETRY) {
            throw new IllegalArgumentException("retry topics are named by delay: use jobsRetry");
        }
        return prefix + "." + topic.suffix();
    }

    public String events() {
        return name(ObserverTopic.EVENTS);
    }

    public String eventsDlq() {
        return name(ObserverTopic.EVENTS_DLQ);
    }

    public String jobs() {
        return name(ObserverTopic.JOBS);
    }

    public String jobsDlq() {
        return name(ObserverTopic.JOBS_DLQ);
    }

    public String jobsOutcomes() {
        return name(ObserverTopic.JOBS_OUTCOMES);
    }

    /** The retry topic of one delay: {@code observers.jobs.retry.30s}, {@code ...retry.1500ms}. */
    public String jobsRetry(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isZero() || delay.isNegative()) {
            throw new IllegalArgumentException("a retry delay must be positive, was " + delay);
        }
        return prefix + "." + ObserverTopic.JOBS_RETRY.suffix() + "." + DurationText.format(delay);
    }
}
