package dev.fraiseql.observers.streams.topology;

import dev.fraiseql.observers.core.metrics.ObserverMetric;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counters of the change-event topology. Names follow FraiseQL's observer vocabulary; in
 * Prometheus they read {@code fraiseql_observer_events_processed_total{op="update"}} and so on.
 * Tags are bounded: the operation and the DLQ stage, never a key or an entity.
 *
 * <p>Besides its own detail (DLQ records by stage, stale and skipped records), the topology keeps
 * FraiseQL's counters: {@code events_failed} for every record dead-lettered, {@code
 * events_deserialization_failures} for those that could not be read at all, {@code
 * dedup_processing_skipped} for duplicates and stale changes, and {@code cache_evictions} for rows
 * dropped from the entity cache by a DELETE or a TRUNCATE.
 */
public final class TopologyMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> byOp = new ConcurrentHashMap<>();
    private final Map<String, Counter> byStage = new ConcurrentHashMap<>();
    private final Counter duplicates;
    private final Counter stale;
    private final Counter skipped;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Counter failed;
    private final Counter unreadable;
    private final Counter processingSkipped;
    private final Counter evictions;

    /** Counters registered on the given registry. */
    public TopologyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duplicates =
                Counter.builder("fraiseql.observer.dedup.detected")
                        .description("Change events dropped because their identity was seen")
                        .register(registry);
        this.stale =
                Counter.builder("fraiseql.observer.events.stale")
                        .description("Changes dropped as older than the entity's applied one")
                        .register(registry);
        this.skipped =
                Counter.builder("fraiseql.observer.events.skipped")
                        .description(
                                "Source records that are not row changes (tombstones, heartbeats,"
                                        + " transaction markers, logical messages)")
                        .register(registry);
        this.cacheHits =
                Counter.builder("fraiseql.observer.cache.hits")
                        .description("Before images or unavailable columns filled from the cache")
                        .register(registry);
        this.cacheMisses =
                Counter.builder("fraiseql.observer.cache.misses")
                        .description("Before images or unavailable columns the cache lacked")
                        .register(registry);
        this.failed = counter(registry, ObserverMetric.EVENTS_FAILED);
        this.unreadable = counter(registry, ObserverMetric.EVENTS_DESERIALIZATION_FAILURES);
        this.processingSkipped = counter(registry, ObserverMetric.DEDUP_PROCESSING_SKIPPED);
        this.evictions = counter(registry, ObserverMetric.CACHE_EVICTIONS);
    }

    private static Counter counter(MeterRegistry registry, ObserverMetric metric) {
        return Counter.builder(metric.meterName())
                .description(metric.description())
                .register(registry);
    }

    void processed(String op) {
        byOp.computeIfAbsent(
                        op,
                        name ->
                                Counter.builder("fraiseql.observer.events.processed")
                                        .description("Change events written to the events topic")
                                        .tag("op", name)
                                        .register(registry))
                .increment();
    }

    void deadLettered(String stage) {
        byStage.computeIfAbsent(
                        stage,
                        name ->
                                Counter.builder("fraiseql.observer.events.dlq")
                                        .description("Source records sent to the events DLQ")
                                        .tag("stage", name)
                                        .register(registry))
                .increment();
        failed.increment();
        if (stage.equals("read")) {
            unreadable.increment();
        }
    }

    void duplicate() {
        duplicates.increment();
        processingSkipped.increment();
    }

    void stale() {
        stale.increment();
        processingSkipped.increment();
    }

    void evicted(int rows) {
        evictions.increment(rows);
    }

    void skipped() {
        skipped.increment();
    }

    void cacheHit() {
        cacheHits.increment();
    }

    void cacheMiss() {
        cacheMisses.increment();
    }
}
