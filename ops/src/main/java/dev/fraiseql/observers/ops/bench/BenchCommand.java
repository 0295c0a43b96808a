package dev.fraiseql.observers.ops.bench;

import dev.fraiseql.observers.embedded.EmbeddedKafka;
import dev.fraiseql.observers.ops.cli.JvmDefaults;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark runner behind {@code ops/bench/run}: it starts an in-process Kafka broker (and, for
 * the end-to-end figures, an embedded PostgreSQL) in this process and prints one line per figure,
 * {@code <name> <value> <unit>}, on standard output. Progress goes to standard error and logs to
 * the file the launcher names.
 *
 * <p>Figures, by group ({@code --only}):
 *
 * <ul>
 *   <li>{@code passthrough}: {@code passthrough_records_per_s}, a plain consume-and-produce loop
 *       over N Debezium records of a rental table;
 *   <li>{@code topology}: {@code topology_records_per_s} over the same N records, {@code
 *       topology_to_passthrough_ratio} when both ran, and {@code state_bytes_per_million_entities}
 *       of the entity cache after the run;
 *   <li>{@code e2e}: {@code e2e_latency_p50_ms}, {@code e2e_latency_p99_ms}, {@code
 *       e2e_latency_max_ms} at 1,000 changes/s, {@code e2e_changes_per_s} sustained, and {@code
 *       heap_after_e2e_mb}, from PostgreSQL commits to a loopback webhook receiver;
 *   <li>{@code retry}: {@code retry_error_p50_ms}, {@code retry_error_p99_ms} of jobs failing once
 *       with a 1 s retry delay.
 * </ul>
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measures the product on an in-process broker and an embedded PostgreSQL and prints",
            "one line per figure: <name> <value> <unit>."
        })
public final class BenchCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(BenchCommand.class);

    /** The connector whose change records passthrough and topology read. */
    private static final String CONNECTOR = "bench";

    /** The groups of figures {@code --only} selects. */
    enum Group {
        PASSTHROUGH,
        TOPOLOGY,
        E2E,
        RETRY
    }

    @Option(
            names = "--quick",
            description = "Smaller workloads for a quick look (figures are noisier).")
    private boolean quick;

    @Option(
            names = "--only",
            split = ",",
            paramLabel = "<group>",
            description = "Runs only these groups: ${COMPLETION-CANDIDATES} (default: all).")
    private Set<Group> only = EnumSet.noneOf(Group.class);

    @Option(
            names = "--records",
            paramLabel = "<n>",
            description =
                    "Change records for passthrough and topology (default 50000; 5000 quick).")
    private Integer records;

    @Option(
            names = "--e2e-changes",
            paramLabel = "<n>",
            description = "Changes of the end-to-end throughput run (default 20000; 3000 quick).")
    private Integer e2eChanges;

    @Option(
            names = "--latency-seconds",
            paramLabel = "<s>",
            description = "Seconds of the 1,000 changes/s latency run (default 30; 10 quick).")
    private Integer latencySeconds;

    @Option(
            names = "--retry-jobs",
            paramLabel = "<n>",
            description = "Jobs of the retry accuracy run (default 1000; 200 quick).")
    private Integer retryJobs;

    @Option(
            names = "--retry-rate",
            paramLabel = "<n>",
            description = "Changes/s written in the retry run, one failing job each (default 50).")
    private int retryRate = 50;

    @Option(
            names = "--worker-concurrency",
            paramLabel = "<n>",
            description =
                    "worker.concurrency of the e2e and retry runs: webhook attempts at once per"
                            + " receiver host (default: the product's, 8).")
    private Integer workerConcurrency;

    @Option(names = "--keep", description = "Keeps the work directory (state stores, config).")
    private boolean keep;

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    private OptionalInt concurrency() {
        return workerConcurrency == null ? OptionalInt.empty() : OptionalInt.of(workerConcurrency);
    }

    /** Runs the command and exits with its code. */
    public static void main(String[] args) {
        JvmDefaults.apply();
        // Standard output carries the figures only: anything else that prints there (the broker's
        // storage formatter does) is sent to standard error.
        PrintStream figures = System.out;
        System.setOut(System.err);
        CommandLine commandLine = new CommandLine(new BenchCommand());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(new PrintWriter(figures, true, StandardCharsets.UTF_8));
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Set<Group> groups = only.isEmpty() ? EnumSet.allOf(Group.class) : only;
        int changeRecords = records != null ? records : quick ? 5_000 : 50_000;
        if (changeRecords < 2) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--records must be at least 2, got " + changeRecords);
        }
        Path work = Files.createTempDirectory("observers-bench-");
        progress("work directory " + work + "; logs in " + System.getProperty("bench.log", "?"));
        List<Figure> figures = new ArrayList<>();

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            BenchTopics topics = new BenchTopics(kafka.bootstrapServers());
            if (groups.contains(Group.PASSTHROUGH) || groups.contains(Group.TOPOLOGY)) {
                fillChangeTopic(topics, changeRecords);
            }
            Figure passthrough = null;
            if (groups.contains(Group.PASSTHROUGH)) {
                progress("passthrough: copying " + changeRecords + " records");
                passthrough =
                        new PassthroughBenchmark(topics)
                                .run(RentalChanges.topic(CONNECTOR), changeRecords);
                print(out, figures, passthrough);
            }
            if (groups.contains(Group.TOPOLOGY)) {
                progress("topology: processing " + changeRecords + " records");
                TopologyBenchmark.Result topology =
                        new TopologyBenchmark(topics, work.resolve("topology"))
                                .run(CONNECTOR, changeRecords);
                print(out, figures, topology.rate());
                if (passthrough != null) {
                    print(
                            out,
                            figures,
                            new Figure(
                                    "topology_to_passthrough_ratio",
                                    topology.rate().value() / passthrough.value(),
                                    "ratio"));
                }
                log.info(
                        "state after {} entities: entity cache {} bytes, dedup store {} bytes",
                        topology.entities(),
                        topology.entityStoreBytes(),
                        topology.dedupStoreBytes());
                print(
                        out,
                        figures,
                        new Figure(
                                "state_bytes_per_million_entities",
                                topology.entityStoreBytes() * 1e6 / topology.entities(),
                                "bytes"));
            }
            if (groups.contains(Group.E2E)) {
                int changes = e2eChanges != null ? e2eChanges : quick ? 3_000 : 20_000;
                int seconds = latencySeconds != null ? latencySeconds : quick ? 10 : 30;
                progress(
                        "e2e: "
                                + seconds
                                + " s at "
                                + EndToEndBenchmark.OFFERED_PER_S
                                + " changes/s, then "
                                + changes
                                + " changes as fast as they commit");
                for (Figure figure :
                        new EndToEndBenchmark(topics, work.resolve("e2e"), concurrency())
                                .run(Duration.ofSeconds(seconds), changes)) {
                    print(out, figures, figure);
                }
            }
            if (groups.contains(Group.RETRY)) {
                int jobs = retryJobs != null ? retryJobs : quick ? 200 : 1_000;
                progress(
                        "retry: "
                                + jobs
                                + " jobs failing once at "
                                + retryRate
                                + "/s, retried after 1 s");
                for (Figure figure :
                        new RetryBenchmark(topics, work.resolve("retry"), concurrency())
                                .run(jobs, retryRate)) {
                    print(out, figures, figure);
                }
            }
        } finally {
            if (!keep) {
                deleteQuietly(work);
            }
        }
        log.info("figures: {}", figures);
        return 0;
    }

    private static void fillChangeTopic(BenchTopics topics, int count) {
        String topic = RentalChanges.topic(CONNECTOR);
        progress("writing " + count + " change records to " + topic);
        long startNanos = System.nanoTime();
        topics.create(topic, Map.of());
        RentalChanges changes = new RentalChanges(CONNECTOR, System.currentTimeMillis());
        topics.fill(topic, count, changes::key, changes::value);
        log.info(
                "wrote {} change records in {} ms",
                count,
                (System.nanoTime() - startNanos) / 1_000_000);
    }

    private static void print(PrintWriter out, List<Figure> figures, Figure figure) {
        figures.add(figure);
        out.println(figure.line());
        out.flush();
    }

    private static void progress(String message) {
        System.err.println("bench: " + message);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(BenchCommand::deleteFile);
        } catch (IOException e) {
            log.warn("could not delete the work directory {}: {}", dir, e.toString());
        }
    }

    private static void deleteFile(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("could not delete {}: {}", path, e.toString());
        }
    }
}
