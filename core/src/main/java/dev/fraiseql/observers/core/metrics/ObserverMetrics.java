package dev.fraiseql.observers.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * Records the product's metrics ({@link ObserverMetric}) in a Micrometer registry. Each call checks
 * that the metric is of the right kind and that its tags are the declared ones, so a tag holding an
 * id cannot slip in; a cap of {@value #MAX_VALUES_PER_TAG} distinct values per tag key stops any
 * remaining growth (further values are dropped, not exported).
 *
 * <p>Timers publish a histogram with fixed buckets from 5 ms to 60 s, so Prometheus can compute
 * quantiles across instances.
 */
public final class ObserverMetrics {
    /** Distinct values a tag key may take per metric before new series are denied. */
    public static final int MAX_VALUES_PER_TAG = 50;

    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60)
    };

    /** Registries that have the caps already; weak, so a registry dropped is forgotten. */
    private static final Set<MeterRegistry> CAPPED =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private final MeterRegistry registry;

    /**
     * Records into the given registry, adding the tag cardinality caps to it unless an earlier
     * instance did. Several parts share one registry, and a filter added after the first meter
     * applies to later meters only (Micrometer warns about it): create the first instance before
     * any meter is registered.
     */
    public ObserverMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        if (!CAPPED.add(registry)) {
            return;
        }
        for (ObserverMetric metric : ObserverMetric.values()) {
            for (ObserverTag tag : metric.tags()) {
                registry.config()
                        .meterFilter(
                                MeterFilter.maximumAllowableTags(
                                        metric.meterName(),
                                        tag.key(),
                                        MAX_VALUES_PER_TAG,
                                        MeterFilter.deny()));
            }
        }
    }

    /** Metrics kept in memory only, for tests and for parts run without an HTTP endpoint. */
    public static ObserverMetrics inMemory() {
        return new ObserverMetrics(new SimpleMeterRegistry());
    }

    /** The registry recorded into. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The counter of a metric with the given tags (created on first use). */
    public Counter counter(ObserverMetric metric, Tag... tags) {
        check(metric, ObserverMetric.Kind.COUNTER, tags);
        return Counter.builder(metric.meterName())
                .description(metric.description())
                .tags(Tags.of(tags))
                .register(registry);
    }

    /** Adds one to a counter. */
    public void increment(ObserverMetric metric, Tag... tags) {
        counter(metric, tags).increment();
    }

    /** Adds an amount to a counter. */
    public void increment(ObserverMetric metric, long amount, Tag... tags) {
        counter(metric, tags).increment(amount);
    }

    /** The timer of a metric with the given tags, with histogram buckets. */
    public Timer timer(ObserverMetric metric, Tag... tags) {
        check(metric, ObserverMetric.Kind.TIMER, tags);
        return Timer.builder(metric.meterName())
                .description(metric.description())
                .tags(Tags.of(tags))
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    /** Records one duration. */
    public void record(ObserverMetric metric, Duration duration, Tag... tags) {
        timer(metric, tags).record(duration);
    }

    /**
     * Registers a gauge that reads its value from the supplier at each scrape. Registering the same
     * metric and tags again keeps the first supplier.
     */
    public Gauge gauge(ObserverMetric metric, Supplier<Number> value, Tag... tags) {
        check(metric, ObserverMetric.Kind.GAUGE, tags);
        return Gauge.builder(metric.meterName(), value)
                .description(metric.description())
                .tags(Tags.of(tags))
                .register(registry);
    }

    private static void check(ObserverMetric metric, ObserverMetric.Kind kind, Tag[] tags) {
        if (metric.kind() != kind) {
            throw new IllegalArgumentException(
                    metric + " is a " + metric.kind() + ", not a " + kind);
        }
        for (Tag tag : tags) {
            boolean declared =
                    metric.tags().stream().anyMatch(allowed -> allowed.key().equals(tag.getKey()));
            if (!declared) {
                throw new IllegalArgumentException(
                        metric
                                + " has no tag '"
                                + tag.getKey()
                                + "'; its tags are "
                                + Arrays.toString(
                                        metric.tags().stream().map(ObserverTag::key).toArray()));
            }
        }
    }
}
