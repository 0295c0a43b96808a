package dev.fraiseql.observers.ops.demo;

import dev.fraiseql.observers.core.config.app.ApplicationConfigLoader;
import dev.fraiseql.observers.core.config.app.ConfigFolder;
import dev.fraiseql.observers.core.metrics.ObserverMetric;
import dev.fraiseql.observers.embedded.EmbeddedKafka;
import dev.fraiseql.observers.embedded.EmbeddedPostgres;
import dev.fraiseql.observers.embedded.SqlScript;
import dev.fraiseql.observers.ops.cli.DurationConverter;
import dev.fraiseql.observers.streams.app.ObserversApplication;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code observers demo}: the whole product on an embedded default. It starts an in-process Kafka
 * broker and an embedded PostgreSQL, creates a sample shop (or loads the user's {@code --sql}
 * dumps), writes a config folder, starts a loopback webhook receiver and the application, then
 * makes real SQL changes and prints what the product does with them, as it happens.
 *
 * <p>Every figure printed is measured: changes and events are counted on their topics, duplicates
 * read from the metrics registry, deliveries counted by the receiver, retries and dead letters
 * counted on the retry and DLQ topics. The summary compares them with what the workload did; a
 * difference makes the command exit 1. The last line of the summary is machine-readable: {@code
 * summary changes=N events=N duplicates=N jobs=N delivered=N retried=N dead_lettered=N}.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the product on an in-process broker and database with a sample workload.",
            "Starts an in-process Kafka broker and an embedded PostgreSQL, makes real changes to a"
                    + " sample database and prints what happens to them."
        })
public final class DemoCommand implements Callable<Integer> {
    private static final String APP_PREFIX = "observers";
    private static final Duration POLL = Duration.ofMillis(250);

    @Option(
            names = "--sql",
            paramLabel = "<file>",
            description =
                    "Loads this SQL file (pg_dump plain format, COPY blocks included) instead of"
                            + " the sample shop; repeat for schema and data files.")
    private List<Path> sqlFiles = new ArrayList<>();

    @Option(
            names = "--keep-running",
            description = "After the summary, keeps everything up until Ctrl-C.")
    private boolean keepRunning;

    @Option(
            names = "--timeout",
            paramLabel = "<duration>",
            converter = DurationConverter.class,
            defaultValue = "90s",
            description = "How long to wait for every job to finish (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        for (Path file : sqlFiles) {
            if (!Files.isReadable(file)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--sql " + file + ": no such readable file");
            }
        }
        Path work = Files.createTempDirectory("observers-demo-");
        try {
            return run(work, out);
        } finally {
            deleteQuietly(work);
        }
    }

    private int run(Path work, PrintWriter out) throws Exception {
        long startNanos = System.nanoTime();

        out.println("starting an in-process Kafka broker and an embedded PostgreSQL ...");
        out.flush();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                EmbeddedPostgres postgres = EmbeddedPostgres.start();
                DemoReceiver receiver = DemoReceiver.start()) {
            String database = postgres.createDatabase("demo");
            DemoScenario scenario = prepareDatabase(postgres, database, out);

            Path config =
                    DemoConfigFolder.write(work, kafka, postgres, database, scenario, receiver);
            ConfigFolder folder = ApplicationConfigLoader.system().loadFolder(config);
            out.printf("config folder: %s%n", config);
            out.printf("webhook receiver: %s%n", receiver.baseUrl());
            out.flush();

            try (ObserversApplication app = ObserversApplication.create(folder);
                    TopicCounts topics =
                            new TopicCounts(kafka.bootstrapServers(), DemoCommand::reported)) {
                app.start();
                awaitCapture(postgres, database, out);
                out.printf(
                        "running the %s workload (%.1f s after start)%n",
                        scenario.name(), seconds(System.nanoTime() - startNanos));

                Expectation expected;
                try (Connection connection = postgres.dataSource(database).getConnection()) {
                    expected = scenario.run(connection, out);
                }
                out.flush();

                Progress progress = new Progress(app, topics, receiver);
                boolean finished = watch(progress, expected, out);
                int exit =
                        summarize(scenario, progress.latest(), expected, receiver, finished, out);

                if (keepRunning) {
                    keepRunning(
                            app,
                            receiver,
                            kafka,
                            postgres.jdbcUrl(database),
                            scenario.tables().get(0),
                            out);
                }
                return exit;
            }
        }
    }

    /** Creates the sample shop, or loads the dumps, and picks the scenario that fits. */
    private DemoScenario prepareDatabase(
            EmbeddedPostgres postgres, String database, PrintWriter out) throws Exception {
        try (Connection connection = postgres.dataSource(database).getConnection()) {
            if (sqlFiles.isEmpty()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(ShopScenario.schemaSql());
                }
                out.println("database: sample shop (customers, orders, order_notes)");
                return new ShopScenario();
            }
            for (Path file : sqlFiles) {
                long loadNanos = System.nanoTime();
                SqlScript.run(connection, file);
                out.printf(
                        "database: loaded %s in %.1f s%n",
                        file, seconds(System.nanoTime() - loadNanos));
            }
            if (PagilaScenario.detect(connection)) {
                out.println("database: the dump is Pagila; using the Pagila observers");
                return new PagilaScenario();
            }
            return DumpScenario.of(connection);
        }
    }

    /**
     * Waits until the connector's replication slot is active: from then on every committed change
     * is captured, so the workload can start.
     */
    private void awaitCapture(EmbeddedPostgres postgres, String database, PrintWriter out)
            throws SQLException, InterruptedException {
        awaitReplicationSlot(postgres, database, timeout);
        out.println("connector: replication slot active; changes are captured");
        out.flush();
    }

    /**
     * Waits until a replication slot of {@code database} is active, that is until a connector
     * captures every change committed from then on.
     *
     * @throws IllegalStateException when no slot is active within the timeout
     */
    public static void awaitReplicationSlot(
            EmbeddedPostgres postgres, String database, Duration timeout)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection connection = postgres.dataSource("postgres").getConnection();
                var query =
                        connection.prepareStatement(
                                "SELECT count(*) FROM pg_replication_slots"
                                        + " WHERE database = ? AND active")) {
            query.setString(1, database);
            while (true) {
                try (ResultSet result = query.executeQuery()) {
                    result.next();
                    if (result.getInt(1) > 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the connector did not open its replication slot within "
                                    + timeout
                                    + "; see the log on stderr");
                }
                TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
            }
        }
    }

    /** Prints each change of the counts until every expected job has finished or time is up. */
    private boolean watch(Progress progress, Expectation expected, PrintWriter out)
            throws InterruptedException {
        long startNanos = System.nanoTime();
        long deadline = startNanos + timeout.toNanos();
        Counts previous = Counts.ZERO;
        while (true) {
            Counts now = progress.measure();
            if (!now.equals(previous)) {
                out.printf(
                        "[%5.1f s] %s%n",
                        seconds(System.nanoTime() - startNanos), now.describe(previous));
                out.flush();
                previous = now;
            }
            if (now.reached(expected)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                out.printf("timed out after %s waiting for %s%n", timeout, now.missing(expected));
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
        }
    }

    private static int summarize(
            DemoScenario scenario,
            Counts measured,
            Expectation expected,
            DemoReceiver receiver,
            boolean finished,
            PrintWriter out) {
        out.printf("%nsummary of the %s demo%n", scenario.name());
        out.printf(
                "  changes captured  %5d   (the workload committed %d)%n",
                measured.changes(), expected.changes());
        out.printf("  events            %5d%n", measured.events());
        out.printf(
                "  duplicates        %5d   (dropped by event identity)%n", measured.duplicates());
        out.printf("  jobs              %5d   (expected %d)%n", measured.jobs(), expected.jobs());
        out.printf(
                "  delivered         %5d   (expected %d; by path %s)%n",
                measured.delivered(), expected.delivered(), receiver.deliveredByPath());
        out.printf(
                "  retried           %5d   (expected %d)%n",
                measured.retried(), expected.retried());
        out.printf(
                "  dead-lettered     %5d   (expected %d)%n",
                measured.deadLettered(), expected.deadLettered());
        if (receiver.repeats() > 0) {
            out.printf(
                    "  repeated deliveries of a job id: %d (at-least-once)%n", receiver.repeats());
        }
        List<String> differences = measured.differences(expected);
        differences.forEach(difference -> out.println("  MISMATCH " + difference));
        out.println(measured.summaryLine());
        out.flush();
        return finished && differences.isEmpty() ? 0 : 1;
    }

    private void keepRunning(
            ObserversApplication app,
            DemoReceiver receiver,
            EmbeddedKafka kafka,
            String jdbcUrl,
            String table,
            PrintWriter out)
            throws InterruptedException {
        String base = app.endpointUrl().orElse("(HTTP endpoint is off)");
        out.printf("metrics:   %s/metrics%n", base);
        out.printf("ready:     %s/health/ready%n", base);
        out.printf("observers: %s/observers%n", base);
        out.printf(
                "entities:  %s/entities/<schema.table>/<primary key>, e.g. %s/entities/%s/1%n",
                base, base, table);
        out.printf("receiver:  %s%n", receiver.baseUrl());
        out.printf("database:  %s (user %s, password demo)%n", jdbcUrl, EmbeddedPostgres.SUPERUSER);
        out.printf("kafka:     %s%n", kafka.bootstrapServers());
        out.println("running until Ctrl-C; the work folder is deleted on exit");
        out.flush();
        // Ctrl-C and SIGTERM are taken here rather than by shutdown hooks: the broker's and the
        // database's own hooks would otherwise delete their folders and stop the server while the
        // application still uses them. The main thread then closes everything in order.
        CountDownLatch stop = new CountDownLatch(1);
        List<Signal> taken = new ArrayList<>();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal signal = new Signal(name);
                Signal.handle(signal, received -> stop.countDown());
                taken.add(signal);
            } catch (IllegalArgumentException e) {
                // This platform has no such signal; the JVM's default handling stays.
            }
        }
        if (taken.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "demo-stop"));
        }
        stop.await();
        // A second Ctrl-C during the teardown stops the JVM at once.
        taken.forEach(signal -> Signal.handle(signal, SignalHandler.SIG_DFL));
        out.println("stopping ...");
        out.flush();
        app.close();
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // A leftover temporary folder is harmless; the demo's result stands.
        }
    }

    /** The topics the demo reports on: the connector's change topics and the product's. */
    private static boolean reported(String topic) {
        return topic.startsWith(DemoConfigFolder.CONNECTOR + ".")
                || topic.startsWith(APP_PREFIX + ".");
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Reads the current counts from the topics, the metrics registry and the receiver. */
    private static final class Progress {
        private final ObserversApplication app;
        private final TopicCounts topics;
        private final DemoReceiver receiver;
        private Counts latest = Counts.ZERO;

        Progress(ObserversApplication app, TopicCounts topics, DemoReceiver receiver) {
            this.app = app;
            this.topics = topics;
            this.receiver = receiver;
        }

        Counts measure() {
            topics.refresh();
            double duplicates =
                    app
                            .telemetry()
                            .registry()
                            .find(ObserverMetric.DEDUP_DETECTED.meterName())
                            .counters()
                            .stream()
                            .mapToDouble(Counter::count)
                            .sum();
            latest =
                    new Counts(
                            topics.count(t -> t.startsWith(DemoConfigFolder.CONNECTOR + ".")),
                            topics.count(APP_PREFIX + ".events"),
                            (long) duplicates,
                            topics.count(APP_PREFIX + ".jobs"),
                            receiver.delivered(),
                            topics.count(t -> t.startsWith(APP_PREFIX + ".jobs.retry.")),
                            topics.count(APP_PREFIX + ".jobs.dlq"));
            return latest;
        }

        Counts latest() {
            return latest;
        }
    }
}
