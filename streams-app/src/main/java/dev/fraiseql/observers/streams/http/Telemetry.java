package dev.fraiseql.observers.streams.http;

import dev.fraiseql.observers.core.metrics.ObserverMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's metrics: one Prometheus registry holding the product's metrics ({@link
 * #metrics()}), JVM metrics, and the metrics of every Kafka client and Kafka Streams instance the
 * parts bind. {@code GET /metrics} serves {@link #scrape()}.
 */
public final class Telemetry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Telemetry.class);

    private final PrometheusMeterRegistry registry;
    private final ObserverMetrics metrics;
    private final List<JvmGcMetrics> gcMetrics = new ArrayList<>();

    /** A registry with the JVM binders (memory, GC, threads, class loading, CPU, uptime). */
    public Telemetry() {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.metrics = new ObserverMetrics(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gcMetrics.add(gc);
        for (MeterBinder binder :
                List.of(
                        new JvmMemoryMetrics(),
                        gc,
                        new JvmThreadMetrics(),
                        new ClassLoaderMetrics(),
                        new ProcessorMetrics(),
                        new UptimeMetrics())) {
            binder.bindTo(registry);
        }
    }

    /** The product's metrics, for the parts to record into. */
    public ObserverMetrics metrics() {
        return metrics;
    }

    /** The Prometheus registry, for binders of other libraries. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    /** Exports a producer's client metrics until the returned handle is closed. */
    public AutoCloseable bind(Producer<?, ?> producer) {
        return bound(new KafkaClientMetrics(producer));
    }

    /** Exports a consumer's client metrics until the returned handle is closed. */
    public AutoCloseable bind(Consumer<?, ?> consumer) {
        return bound(new KafkaClientMetrics(consumer));
    }

    /** Exports an admin client's metrics until the returned handle is closed. */
    public AutoCloseable bind(Admin admin) {
        if (!(admin instanceof AdminClient client)) {
            throw new IllegalArgumentException("only AdminClient instances expose metrics");
        }
        return bound(new KafkaClientMetrics(client));
    }

    /** Exports a Kafka Streams instance's metrics until the returned handle is closed. */
    public AutoCloseable bind(KafkaStreams streams) {
        return bound(new KafkaStreamsMetrics(streams));
    }

    private AutoCloseable bound(KafkaClientMetrics binder) {
        binder.bindTo(registry);
        return binder::close;
    }

    private AutoCloseable bound(KafkaStreamsMetrics binder) {
        binder.bindTo(registry);
        return binder::close;
    }

    @Override
    public void close() {
        for (JvmGcMetrics gc : gcMetrics) {
            try {
                gc.close();
            } catch (RuntimeException e) {
                log.warn("[metrics] GC metrics did not close cleanly; continuing", e);
            }
        }
        registry.close();
    }
}
