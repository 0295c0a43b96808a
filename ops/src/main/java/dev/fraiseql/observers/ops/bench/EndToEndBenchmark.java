package dev.fraiseql.observers.ops.bench;

import dev.fraiseql.observers.core.config.app.ObserverTopic;
import dev.fraiseql.observers.core.config.app.TopicNames;
import dev.fraiseql.observers.embedded.EmbeddedPostgres;
import dev.fraiseql.observers.ops.demo.DemoCommand;
import dev.fraiseql.observers.ops.demo.DemoConfigFolder;
import dev.fraiseql.observers.streams.app.ObserversApplication;
import dev.fraiseql.observers.streams.topology.ObserversTopology;
import dev.fraiseql.observers.streams.topology.match.ObserverMatchStep;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole product as {@code observers demo} wires it: an embedded PostgreSQL, the Debezium
 * connector, the topology and the job worker in one application, and a loopback receiver that
 * answers at once. One observer matches every change of the rental table, so each change is one
 * webhook.
 *
 * <ol>
 *   <li>Latency: changes committed at a fixed offered rate of {@value #OFFERED_PER_S} changes/s (a
 *       transaction of {@value #CHANGES_PER_TICK} changes every {@value #TICK_MS} ms); the latency
 *       of a change is the receiver's clock at delivery minus the commit time its source record
 *       carries. The first {@value #WARM_UP_S} s are not counted.
 *   <li>Throughput: changes committed as fast as one connection can (transactions of {@value
 *       #CHANGES_PER_BATCH}), the rate being the changes over the time from the first commit to the
 *       last delivery.
 *   <li>Heap: used heap of the process after a full collection, the application still running (the
 *       broker and the database driver share the process).
 * </ol>
 */
final class EndToEndBenchmark {
    static final int OFFERED_PER_S = 1_000;
    static final int TICK_MS = 10;
    static final int CHANGES_PER_TICK = OFFERED_PER_S * TICK_MS / 1_000;
    static final int WARM_UP_S = 3;
    static final int CHANGES_PER_BATCH = 500;

    private static final Logger log = LoggerFactory.getLogger(EndToEndBenchmark.class);
    private static final String CONNECTOR = "e2edb";
    private static final String PREFIX = "e2e";
    private static final String DATABASE = "bench";

    private final BenchTopics topics;
    private final Path root;
    private final OptionalInt workerConcurrency;

    EndToEndBenchmark(BenchTopics topics, Path root, OptionalInt workerConcurrency) {
        this.topics = topics;
        this.root = root;
        this.workerConcurrency = workerConcurrency;
    }

    /**
     * Runs the latency phase for {@code latency}, then the throughput phase over {@code changes}.
     */
    List<Figure> run(Duration latency, int changes) throws Exception {
        List<Figure> figures = new ArrayList<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
                BenchReceiver receiver = BenchReceiver.start()) {
            postgres.createDatabase(DATABASE);
            try (Connection connection = postgres.dataSource(DATABASE).getConnection()) {
                RentalWorkload.createTable(connection);
            }
            DemoConfigFolder.Connector connector =
                    new DemoConfigFolder.Connector(
                            CONNECTOR,
                            postgres.host(),
                            postgres.port(),
                            DATABASE,
                            List.of(RentalChanges.TABLE),
                            "no_data");
            try (ObserversApplication app =
                            BenchApplication.create(
                                    root,
                                    topics.bootstrapServers(),
                                    PREFIX,
                                    new BenchApplication.Parts(true, true, true),
                                    connector,
                                    BenchObservers.oneMatching(receiver.deliverUrl()),
                                    workerConcurrency);
                    RentalWorkload workload =
                            new RentalWorkload(postgres.dataSource(DATABASE).getConnection())) {
                stageTopics().forEach(topics::createWithAppendTime);
                app.start();
                DemoCommand.awaitReplicationSlot(postgres, DATABASE, Duration.ofMinutes(2));

                int next = latency(workload, receiver, latency, figures);
                throughput(workload, receiver, next, changes, figures);

                receiver.reset();
                figures.add(new Figure("heap_after_e2e_mb", usedHeapMb(), "MB"));
            }
        }
        return figures;
    }

    /** The latency phase; returns the index of the next change. */
    private int latency(
            RentalWorkload workload, BenchReceiver receiver, Duration duration, List<Figure> out)
            throws Exception {
        int ticks = (int) (duration.toMillis() / TICK_MS);
        int total = ticks * CHANGES_PER_TICK;
        AtomicInteger done = new AtomicInteger();
        AtomicReference<SQLException> failure = new AtomicReference<>();
        long startMicros = nowMicros();
        ScheduledExecutorService clock =
                Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bench-workload"));
        try {
            ScheduledFuture<?> ticking =
                    clock.scheduleAtFixedRate(
                            () -> {
                                int tick = done.get();
                                if (tick >= ticks || failure.get() != null) {
                                    return;
                                }
                                try {
                                    workload.commit(tick * CHANGES_PER_TICK, CHANGES_PER_TICK);
                                    done.incrementAndGet();
                                } catch (SQLException e) {
                                    failure.set(e);
                                }
                            },
                            0,
                            TICK_MS,
                            TimeUnit.MILLISECONDS);
            while (done.get() < ticks && failure.get() == null) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            ticking.cancel(false);
        } finally {
            clock.shutdownNow();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        long committedMicros = nowMicros();
        log.info(
                "e2e latency: committed {} changes in {} ms (offered {} changes/s)",
                total,
                (committedMicros - startMicros) / 1000,
                OFFERED_PER_S);
        awaitDelivered(receiver, total, Duration.ofMinutes(5));

        long countedFrom = startMicros + WARM_UP_S * 1_000_000L;
        Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        int counted = 0;
        for (BenchReceiver.Arrival arrival : receiver.delivered().values()) {
            if (arrival.commitMicros() >= countedFrom) {
                histogram.recordValue(
                        Math.max(0, arrival.deliveredMicros() - arrival.commitMicros()));
                counted++;
            }
        }
        log.info(
                "e2e latency: {} deliveries counted after the warm-up, {} repeats; p50 {} us,"
                        + " p90 {} us, p99 {} us, max {} us",
                counted,
                receiver.repeats(),
                histogram.getValueAtPercentile(50),
                histogram.getValueAtPercentile(90),
                histogram.getValueAtPercentile(99),
                histogram.getMaxValue());
        out.add(
                new Figure(
                        "e2e_latency_p50_ms", histogram.getValueAtPercentile(50) / 1000.0, "ms"));
        out.add(
                new Figure(
                        "e2e_latency_p99_ms", histogram.getValueAtPercentile(99) / 1000.0, "ms"));
        out.add(new Figure("e2e_latency_max_ms", histogram.getMaxValue() / 1000.0, "ms"));
        receiver.reset();
        return total;
    }

    private void throughput(
            RentalWorkload workload,
            BenchReceiver receiver,
            int first,
            int changes,
            List<Figure> out)
            throws Exception {
        long startMicros = nowMicros();
        for (int i = 0; i < changes; i += CHANGES_PER_BATCH) {
            workload.commit(first + i, Math.min(CHANGES_PER_BATCH, changes - i));
        }
        long committedMicros = nowMicros();
        awaitDelivered(receiver, changes, Duration.ofSeconds(120 + changes / 100));
        long lastMicros =
                receiver.delivered().values().stream()
                        .mapToLong(BenchReceiver.Arrival::deliveredMicros)
                        .max()
                        .orElseThrow();
        log.info(
                "e2e throughput: committed {} changes in {} ms, last delivered {} ms after the"
                        + " first commit",
                changes,
                (committedMicros - startMicros) / 1000,
                (lastMicros - startMicros) / 1000);
        logStages(startMicros / 1000);
        out.add(
                new Figure(
                        "e2e_changes_per_s",
                        changes * 1e6 / Math.max(1, lastMicros - startMicros),
                        "changes/s"));
    }

    /**
     * The topics between the stages: changes (connector), events (topology), jobs (matching),
     * outcomes (worker). They are created before the application with broker append times, so that
     * their last records tell when each stage finished.
     */
    private static List<String> stageTopics() {
        return List.of(
                RentalChanges.topic(CONNECTOR),
                ObserversTopology.eventsTopic(PREFIX),
                ObserverMatchStep.jobsTopic(PREFIX),
                new TopicNames(PREFIX).name(ObserverTopic.JOBS_OUTCOMES));
    }

    /** Logs when each stage wrote its last record, from the first commit of the phase. */
    private void logStages(long startMs) {
        for (String topic : stageTopics()) {
            BenchTopics.Span span = topics.span(topic);
            log.info(
                    "e2e stage {}: {} records in all, the last one {} ms after the first commit of"
                            + " the throughput run",
                    topic,
                    span.count(),
                    span.lastMs() - startMs);
        }
    }

    private static void awaitDelivered(BenchReceiver receiver, int expected, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (receiver.delivered().size() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "only "
                                + receiver.delivered().size()
                                + " of "
                                + expected
                                + " changes were delivered within "
                                + timeout
                                + "; see the log");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static double usedHeapMb() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024);
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }
}
