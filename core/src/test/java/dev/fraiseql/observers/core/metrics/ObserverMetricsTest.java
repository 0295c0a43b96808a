package dev.fraiseql.observers.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ObserverMetricsTest {
    /** FraiseQL's observer metric names, which existing dashboards and alerts query. */
    private static final List<String> FRAISEQL_NAMES =
            List.of(
                    "fraiseql_observer_events_processed_total",
                    "fraiseql_observer_events_failed_total",
                    "fraiseql_observer_events_deserialization_failures_total",
                    "fraiseql_observer_cache_hits_total",
                    "fraiseql_observer_cache_misses_total",
                    "fraiseql_observer_cache_evictions_total",
                    "fraiseql_observer_dedup_detected_total",
                    "fraiseql_observer_dedup_processing_skipped_total",
                    "fraiseql_observer_action_executed_total",
                    "fraiseql_observer_action_duration_seconds",
                    "fraiseql_observer_action_errors_total",
                    "fraiseql_observer_backlog_size",
                    "fraiseql_observer_dlq_items",
                    "fraiseql_observer_job_queued_total",
                    "fraiseql_observer_job_executed_total",
                    "fraiseql_observer_job_failed_total",
                    "fraiseql_observer_job_retry_attempts_total",
                    "fraiseql_observer_job_duration_seconds",
                    "fraiseql_observer_job_queue_depth",
                    "fraiseql_observer_job_dlq_items",
                    "fraiseql_observer_connector_up",
                    "fraiseql_observer_circuit_open");

    private static void recordOneOfEach(ObserverMetrics metrics) {
        for (ObserverMetric metric : ObserverMetric.values()) {
            io.micrometer.core.instrument.Tag[] tags =
                    metric.tags().stream()
                            .map(ObserverMetricsTest::sampleTag)
                            .toArray(io.micrometer.core.instrument.Tag[]::new);
            switch (metric.kind()) {
                case COUNTER -> metrics.increment(metric, tags);
                case TIMER -> metrics.record(metric, Duration.ofMillis(40), tags);
                case GAUGE -> metrics.gauge(metric, () -> 7, tags);
            }
        }
    }

    private static io.micrometer.core.instrument.Tag sampleTag(ObserverTag tag) {
        return switch (tag) {
            case ACTION_TYPE -> tag.is("webhook");
            case ERROR_TYPE -> tag.is("timeout");
            case DELAY -> tag.is("30s");
            case CONNECTOR -> tag.is("shop");
            case HOST -> tag.is("hooks.example.test");
        };
    }

    @Test
    void declaredPrometheusNamesAreFraiseqlNames() {
        assertThat(Arrays.stream(ObserverMetric.values()).map(ObserverMetric::prometheusName))
                .containsExactlyInAnyOrderElementsOf(FRAISEQL_NAMES);
    }

    @Test
    void prometheusScrapeExportsEveryMetricUnderItsFraiseqlName() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        recordOneOfEach(new ObserverMetrics(registry));

        String scrape = registry.scrape();

        for (ObserverMetric metric : ObserverMetric.ofKind(ObserverMetric.Kind.COUNTER)) {
            String tags =
                    metric.tags().isEmpty()
                            ? ""
                            : metric.tags().contains(ObserverTag.DELAY)
                                    ? "{action_type=\"webhook\",delay=\"30s\"}"
                                    : metric.tags().contains(ObserverTag.ERROR_TYPE)
                                            ? "{action_type=\"webhook\",error_type=\"timeout\"}"
                                            : "{action_type=\"webhook\"}";
            assertThat(scrape).contains("\n" + metric.prometheusName() + tags + " 1.0\n");
            assertThat(scrape).contains("# TYPE " + metric.prometheusName() + " counter\n");
        }
        for (ObserverMetric metric : ObserverMetric.ofKind(ObserverMetric.Kind.GAUGE)) {
            String tags =
                    metric.tags().contains(ObserverTag.CONNECTOR)
                            ? "{connector=\"shop\"}"
                            : metric.tags().contains(ObserverTag.HOST)
                                    ? "{host=\"hooks.example.test\"}"
                                    : "";
            assertThat(scrape).contains("\n" + metric.prometheusName() + tags + " 7.0\n");
        }
        assertThat(scrape)
                .contains("# TYPE fraiseql_observer_action_duration_seconds histogram")
                .contains(
                        "fraiseql_observer_action_duration_seconds_bucket{action_type=\"webhook\","
                                + "le=\"0.05\"} 1")
                .contains(
                        "fraiseql_observer_action_duration_seconds_bucket{action_type=\"webhook\","
                                + "le=\"0.025\"} 0")
                .contains(
                        "fraiseql_observer_action_duration_seconds_count{action_type=\"webhook\"}"
                                + " 1")
                .contains(
                        "# HELP fraiseql_observer_events_processed_total Change events processed");
    }

    @Test
    void counterCountsExactlyWhatWasRecordedPerTagValue() {
        ObserverMetrics metrics = ObserverMetrics.inMemory();

        metrics.increment(ObserverMetric.ACTION_EXECUTED, ObserverTag.ACTION_TYPE.is("webhook"));
        metrics.increment(ObserverMetric.ACTION_EXECUTED, 4, ObserverTag.ACTION_TYPE.is("slack"));
        metrics.increment(ObserverMetric.ACTION_EXECUTED, ObserverTag.ACTION_TYPE.is("webhook"));

        assertThat(
                        metrics.registry()
                                .get("fraiseql.observer.action.executed")
                                .tag("action_type", "webhook")
                                .counter()
                                .count())
                .isEqualTo(2.0);
        assertThat(
                        metrics.registry()
                                .get("fraiseql.observer.action.executed")
                                .tag("action_type", "slack")
                                .counter()
                                .count())
                .isEqualTo(4.0);
    }

    @Test
    void gaugeReadsItsSupplierAtEachRead() {
        ObserverMetrics metrics = new ObserverMetrics(new SimpleMeterRegistry());
        AtomicLong depth = new AtomicLong(3);
        metrics.gauge(ObserverMetric.JOB_QUEUE_DEPTH, depth::get);

        depth.set(11);

        assertThat(metrics.registry().get("fraiseql.observer.job.queue_depth").gauge().value())
                .isEqualTo(11.0);
    }

    @Test
    void undeclaredTagIsRejected() {
        ObserverMetrics metrics = ObserverMetrics.inMemory();

        assertThatThrownBy(
                        () ->
                                metrics.increment(
                                        ObserverMetric.EVENTS_PROCESSED,
                                        ObserverTag.ACTION_TYPE.is("webhook")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("EVENTS_PROCESSED has no tag 'action_type'; its tags are []");
    }

    @Test
    void tagValueThatLooksLikeAnIdOrUrlIsRejected() {
        assertThatThrownBy(() -> ObserverTag.ERROR_TYPE.is("https://hooks.example.test/a?id=7"))
                .hasMessageStartingWith("tag error_type value must be 1 to 40 lowercase letters");
    }

    @Test
    void wrongKindIsRejected() {
        ObserverMetrics metrics = ObserverMetrics.inMemory();

        assertThatThrownBy(() -> metrics.increment(ObserverMetric.ACTION_DURATION))
                .hasMessage("ACTION_DURATION is a TIMER, not a COUNTER");
    }

    @Test
    void tagValuesBeyondTheCapAreNotExported() {
        ObserverMetrics metrics = ObserverMetrics.inMemory();

        for (int i = 0; i < ObserverMetrics.MAX_VALUES_PER_TAG + 10; i++) {
            metrics.increment(ObserverMetric.JOB_QUEUED, ObserverTag.ACTION_TYPE.is("type" + i));
        }

        assertThat(metrics.registry().find("fraiseql.observer.job.queued").counters())
                .hasSize(ObserverMetrics.MAX_VALUES_PER_TAG);
    }

    @Test
    void partsSharingARegistryAddTheCapsOnceAndStillCapTogether() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ObserverMetrics first = new ObserverMetrics(registry);
        first.increment(ObserverMetric.JOB_QUEUED, ObserverTag.ACTION_TYPE.is("type-first"));
        int filtersPerInstance = filterCount(registry);

        ObserverMetrics second = new ObserverMetrics(registry);
        for (int i = 0; i < ObserverMetrics.MAX_VALUES_PER_TAG + 10; i++) {
            second.increment(ObserverMetric.JOB_QUEUED, ObserverTag.ACTION_TYPE.is("type" + i));
        }

        assertThat(filterCount(registry)).isEqualTo(filtersPerInstance);
        assertThat(registry.find("fraiseql.observer.job.queued").counters())
                .hasSize(ObserverMetrics.MAX_VALUES_PER_TAG);
    }

    private static int filterCount(SimpleMeterRegistry registry) {
        try {
            java.lang.reflect.Field filters =
                    io.micrometer.core.instrument.MeterRegistry.class.getDeclaredField("filters");
            filters.setAccessible(true);
            return ((Object[]) filters.get(registry)).length;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Micrometer's registry keeps its filters elsewhere now", e);
        }
    }
}
