package dev.fraiseql.observers.core.config.app;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The topics the product owns, by their name after the app prefix ({@code observers.events}), with
 * their cleanup policy and default retention. The topic manager creates them from this list and the
 * configuration reference documents them from it.
 */
public enum ObserverTopic {
    EVENTS(
            "events",
            "delete",
            Retention.of(Duration.ofDays(30)),
            "Normalized change events (`ChangeEvent`), keyed by entity and primary key: the"
                    + " replayable event log."),
    EVENTS_DLQ(
            "events.dlq",
            "delete",
            Retention.of(Duration.ofDays(30)),
            "Change records that could not be normalized: original key and value bytes plus"
                    + " error headers."),
    JOBS(
            "jobs",
            "delete",
            Retention.of(Duration.ofDays(7)),
            "Jobs (`Job`) made by matching observers, consumed by the job worker."),
    JOBS_RETRY(
            "jobs.retry",
            "delete",
            Retention.of(Duration.ofDays(7)),
            "Jobs waiting for a retry, one topic per delay: `<prefix>.jobs.retry.<delay>`"
                    + " (`observers.jobs.retry.30s`)."),
    JOBS_DLQ(
            "jobs.dlq",
            "delete",
            Retention.of(Duration.ofDays(30)),
            "Jobs that failed for good, with failure headers; `observers replay dlq` moves them"
                    + " back."),
    JOBS_OUTCOMES(
            "jobs.outcomes",
            "compact",
            Retention.FOREVER,
            "The last outcome (`JobOutcome`) of every job id, compacted.");

    private final String suffix;
    private final String cleanupPolicy;
    private final Retention defaultRetention;
    private final String doc;

    ObserverTopic(String suffix, String cleanupPolicy, Retention defaultRetention, String doc) {
        this.suffix = suffix;
        this.cleanupPolicy = cleanupPolicy;
        this.defaultRetention = defaultRetention;
        this.doc = doc;
    }

    /** The name after the app prefix, and the key under {@code topics:}: {@code events.dlq}. */
    public String suffix() {
        return suffix;
    }

    /** The topic setting {@code cleanup.policy}: {@code delete} or {@code compact}. */
    public String cleanupPolicy() {
        return cleanupPolicy;
    }

    /** The retention when the configuration sets none. */
    public Retention defaultRetention() {
        return defaultRetention;
    }

    /** What the topic holds, for the reference. */
    public String doc() {
        return doc;
    }

    /** The topic with this suffix, if any. */
    public static Optional<ObserverTopic> bySuffix(String suffix) {
        return Arrays.stream(values()).filter(t -> t.suffix.equals(suffix)).findFirst();
    }

    /** Every suffix, in declaration order. */
    public static List<String> suffixes() {
        return Arrays.stream(values()).map(ObserverTopic::suffix).toList();
    }
}
