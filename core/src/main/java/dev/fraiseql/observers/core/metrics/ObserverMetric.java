package dev.fraiseql.observers.core.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Every metric of the product, declared once: its Micrometer name (dotted, lowercase), the name it
 * is exported under in Prometheus, its kind, base unit, description and allowed tags.
 *
 * <p>The exported names keep FraiseQL's observer vocabulary ({@code
 * fraiseql_observer_events_processed_total}) so that existing dashboards and alerts work.
 * Micrometer derives them: dots become underscores, counters gain {@code _total} and timers {@code
 * _seconds}; that is why counters and gauges carry no base unit that would add another suffix.
 */
public enum ObserverMetric {
    EVENTS_PROCESSED(
            Kind.COUNTER,
            "fraiseql.observer.events.processed",
            "Change events processed by the topology (after dedup)."),
    EVENTS_FAILED(
            Kind.COUNTER,
            "fraiseql.observer.events.failed",
            "Change events that could not be processed and went to the events DLQ."),
    EVENTS_DESERIALIZATION_FAILURES(
            Kind.COUNTER,
            "fraiseql.observer.events.deserialization_failures",
            "Change records whose key or value could not be read."),
    CACHE_HITS(
            Kind.COUNTER,
            "fraiseql.observer.cache.hits",
            "Entity cache lookups that found the previous row image."),
    CACHE_MISSES(
            Kind.COUNTER,
            "fraiseql.observer.cache.misses",
            "Entity cache lookups that found nothing (cold cache)."),
    CACHE_EVICTIONS(
            Kind.COUNTER,
            "fraiseql.observer.cache.evictions",
            "Entity cache entries removed (deletes, truncates, re-keys)."),
    DEDUP_DETECTED(
            Kind.COUNTER,
            "fraiseql.observer.dedup.detected",
            "Duplicate change events detected by event identity."),
    DEDUP_PROCESSING_SKIPPED(
            Kind.COUNTER,
            "fraiseql.observer.dedup.processing_skipped",
            "Change events skipped because they were duplicates or stale."),
    ACTION_EXECUTED(
            Kind.COUNTER,
            "fraiseql.observer.action.executed",
            "Action attempts that completed successfully.",
            ObserverTag.ACTION_TYPE),
    ACTION_DURATION(
            Kind.TIMER,
            "fraiseql.observer.action.duration",
            "Duration of action attempts, successful or not.",
            ObserverTag.ACTION_TYPE),
    ACTION_ERRORS(
            Kind.COUNTER,
            "fraiseql.observer.action.errors",
            "Action attempts that failed, by error class.",
            ObserverTag.ACTION_TYPE,
            ObserverTag.ERROR_TYPE),
    BACKLOG_SIZE(Kind.GAUGE, "fraiseql.observer.backlog.size", "Change events not yet processed."),
    DLQ_ITEMS(Kind.GAUGE, "fraiseql.observer.dlq.items", "Records in the events DLQ."),
    JOB_QUEUED(
            Kind.COUNTER,
            "fraiseql.observer.job.queued",
            "Jobs written to the jobs topic by matching observers.",
            ObserverTag.ACTION_TYPE),
    JOB_EXECUTED(
            Kind.COUNTER,
            "fraiseql.observer.job.executed",
            "Jobs that completed successfully.",
            ObserverTag.ACTION_TYPE),
    JOB_FAILED(
            Kind.COUNTER,
            "fraiseql.observer.job.failed",
            "Jobs that failed for good (permanent error or attempts exhausted) and were"
                    + " dead-lettered.",
            ObserverTag.ACTION_TYPE),
    JOB_RETRY_ATTEMPTS(
            Kind.COUNTER,
            "fraiseql.observer.job.retry_attempts",
            "Jobs sent to a retry topic, by delay.",
            ObserverTag.ACTION_TYPE,
            ObserverTag.DELAY),
    JOB_DURATION(
            Kind.TIMER,
            "fraiseql.observer.job.duration",
            "Duration of a job from its first attempt to its final outcome.",
            ObserverTag.ACTION_TYPE),
    JOB_QUEUE_DEPTH(
            Kind.GAUGE,
            "fraiseql.observer.job.queue_depth",
            "Jobs waiting in the jobs and retry topics (consumer lag of the worker)."),
    JOB_DLQ_ITEMS(Kind.GAUGE, "fraiseql.observer.job.dlq_items", "Records in the jobs DLQ."),
    CONNECTOR_UP(
            Kind.GAUGE,
            "fraiseql.observer.connector.up",
            "1 while a connector's engine is RUNNING, 0 in any other state.",
            ObserverTag.CONNECTOR),
    CIRCUIT_OPEN(
            Kind.GAUGE,
            "fraiseql.observer.circuit.open",
            "1 while the circuit breaker of a receiver host is open (jobs deferred), else 0.",
            ObserverTag.HOST);

    /** How a metric is recorded. */
    public enum Kind {
        COUNTER,
        TIMER,
        GAUGE
    }

    private final Kind kind;
    private final String name;
    private final String description;
    private final Set<ObserverTag> tags;

    ObserverMetric(Kind kind, String name, String description, ObserverTag... tags) {
        this.kind = kind;
        this.name = name;
        this.description = description;
        this.tags = tags.length == 0 ? Set.of() : Set.copyOf(Arrays.asList(tags));
    }

    public Kind kind() {
        return kind;
    }

    /** The Micrometer name: {@code fraiseql.observer.events.processed}. */
    public String meterName() {
        return name;
    }

    public String description() {
        return description;
    }

    /** The base unit: seconds for timers, none for counters and gauges (see the class doc). */
    public String baseUnit() {
        return kind == Kind.TIMER ? "seconds" : null;
    }

    /** The tags this metric may carry. */
    public Set<ObserverTag> tags() {
        return tags;
    }

    /**
     * The name as Prometheus exports it: {@code fraiseql_observer_events_processed_total}; for a
     * timer, the histogram's base name {@code fraiseql_observer_action_duration_seconds}.
     */
    public String prometheusName() {
        String base = name.replace('.', '_');
        return switch (kind) {
            case COUNTER -> base + "_total";
            case TIMER -> base + "_seconds";
            case GAUGE -> base;
        };
    }

    /** Every metric of a kind. */
    public static List<ObserverMetric> ofKind(Kind kind) {
        return Arrays.stream(values()).filter(metric -> metric.kind == kind).toList();
    }
}
