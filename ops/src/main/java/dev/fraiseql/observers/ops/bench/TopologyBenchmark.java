package dev.fraiseql.observers.ops.bench;

import dev.fraiseql.observers.streams.app.ObserversApplication;
import dev.fraiseql.observers.streams.topology.ObserversTopology;
import dev.fraiseql.observers.streams.topology.match.ObserverMatchStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The product's topology over the same change records as the passthrough loop: the application with
 * only its topology part on (normalize, dedup, entity cache, match under {@code exactly_once_v2},
 * its settings as {@code observers run} has them), ten observers of which five match every change,
 * so each change makes five jobs on {@code <prefix>.jobs}.
 *
 * <p>The rate is the number of change records over the time between the first and the last job's
 * broker append time. After the run the entity cache's files are measured on disk.
 */
final class TopologyBenchmark {
    private static final Logger log = LoggerFactory.getLogger(TopologyBenchmark.class);
    private static final String PREFIX = "topo";

    private final BenchTopics topics;
    private final Path root;

    TopologyBenchmark(BenchTopics topics, Path root) {
        this.topics = topics;
        this.root = root;
    }

    /** The figures of one run. */
    record Result(Figure rate, long entities, long entityStoreBytes, long dedupStoreBytes) {}

    /**
     * Runs the topology over the {@code records} records of the connector's rental change topic.
     */
    Result run(String connector, long records) throws IOException, InterruptedException {
        String jobs = ObserverMatchStep.jobsTopic(PREFIX);
        topics.createWithAppendTime(jobs);
        long startNanos = System.nanoTime();
        try (ObserversApplication app =
                BenchApplication.create(
                        root,
                        topics.bootstrapServers(),
                        PREFIX,
                        new BenchApplication.Parts(false, true, false),
                        BenchApplication.unusedConnector(connector),
                        BenchObservers.tenHalfMatching("http://127.0.0.1:9/hooks/unused"),
                        OptionalInt.empty())) {
            app.start();
            Duration timeout = Duration.ofSeconds(120 + records / 500);
            topics.awaitCaughtUp(PREFIX + "-topology", RentalChanges.topic(connector), timeout);
        }
        log.info(
                "topology: started, processed and closed in {} ms",
                Duration.ofNanos(System.nanoTime() - startNanos).toMillis());

        BenchTopics.Span span = topics.span(jobs);
        long expectedJobs = records * BenchObservers.MATCHING;
        log.info(
                "topology: {} jobs for {} changes in {} ms",
                span.count(),
                records,
                span.lastMs() - span.firstMs());
        if (span.count() != expectedJobs) {
            throw new IllegalStateException(
                    "the topology wrote " + span.count() + " jobs, not " + expectedJobs);
        }
        long entities = RentalChanges.rentalId((int) records - 1);
        return new Result(
                new Figure("topology_records_per_s", span.perSecond(records), "records/s"),
                entities,
                storeBytes(ObserversTopology.ENTITY_STORE),
                storeBytes(ObserversTopology.DEDUP_STORE));
    }

    /**
     * Bytes of the data files ({@code *.sst}) of a state store under the state directory, all
     * tasks; RocksDB's own logs and options files are not counted. The stores are closed, so their
     * memtables have been flushed to those files.
     */
    private long storeBytes(String store) throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root.resolve("state"))) {
            all.filter(p -> Files.isDirectory(p) && p.getFileName().toString().equals(store))
                    .forEach(dirs::add);
        }
        long bytes = 0;
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                bytes +=
                        files.filter(file -> file.toString().endsWith(".sst"))
                                .mapToLong(
                                        file -> {
                                            try {
                                                return Files.size(file);
                                            } catch (IOException e) {
                                                throw new UncheckedIOException(e);
                                            }
                                        })
                                .sum();
            }
        }
        return bytes;
    }
}
