package dev.fraiseql.observers.ops.fault;

import static org.awaitility.Awaitility.await;

import dev.fraiseql.observers.embedded.KafkaServerMain;
import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import dev.fraiseql.observers.testing.PostgresHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fault run: a broker and the app as processes of their own, the shared PostgreSQL, a recording
 * receiver; a paced workload of row changes while faults are injected at seeded moments; then the
 * counts, from the data, in a {@link FaultReport}.
 *
 * <p>The app is {@code observers run --config <dir>} from the runnable jar {@code
 * target/observers.jar}, the way an operator runs it. The broker is {@link KafkaServerMain}, with
 * its data in the run's directory and a fixed port, so a restarted broker is the same broker.
 */
final class FaultRun implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultRun.class);

    private static final String PREFIX = "fault";
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String RETRY =
            "{max_attempts: 40, initial_delay: 500ms, multiplier: 2, max_delay: 4s, jitter: 0.2}";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration WRITER_TICK = Duration.ofMillis(200);

    /** Lines that mean an exception escaped to a thread's end, or a Streams thread was lost. */
    private static final Pattern UNCAUGHT =
            Pattern.compile("(?i)uncaught|exception in thread|stream thread failed|thread died");

    private final FaultPlan plan;
    private final Path dir;
    private final PostgresHarness postgres;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final int brokerPort = freePort();
    private final ChildJvm broker;
    private final ChildJvm app;
    private final RecordingReceiver receiver = RecordingReceiver.start();
    private String database;
    private Workload workload;

    /**
     * A fault, injected once the receiver has seen this fraction of the jobs the whole workload
     * will call for: so faults fall while the pipeline is busy, however far ahead the writer is.
     */
    private record Fault(String kind, double at) {}

    FaultRun(FaultPlan plan, Path dir, PostgresHarness postgres) {
        this.plan = plan;
        this.dir = dir;
        this.postgres = postgres;
        this.broker =
                new ChildJvm(
                        "broker",
                        dir,
                        List.of("-Xmx768m", "-cp", ChildJvm.testClassPath()),
                        List.of(
                                KafkaServerMain.class.getName(),
                                dir.resolve("kafka").toString(),
                                Integer.toString(brokerPort)));
        this.app =
                new ChildJvm(
                        "app",
                        dir,
                        List.of("-Xmx512m", "-jar", runnableJar().toString()),
                        List.of("run", "--config", dir.resolve("config").toString()));
    }

    /**
     * A new directory for a run's process logs and broker data, kept after the run under {@code
     * target/fault-runs} so that a failure can be read there.
     */
    static Path directory(String name, FaultPlan plan) throws IOException {
        return Files.createDirectories(
                Path.of("target", "fault-runs", name + "-" + plan.seed()).toAbsolutePath());
    }

    /** Runs the plan and returns what the data says. */
    FaultReport run() throws Exception {
        log.info(
                "fault run: seed {} ({}); plan {}",
                plan.seed(),
                "-Dfault.seed=" + plan.seed(),
                plan);
        System.out.println("fault run seed: " + plan.seed() + ", process logs in " + dir);

        startBroker();
        prepareDatabase();
        writeConfig();
        startApp();

        List<Fault> faults = schedule();
        CompletableFuture<Void> writing = startWriter();
        for (Fault fault : faults) {
            awaitProgress(fault.at());
            inject(fault);
        }
        writing.get(30, TimeUnit.MINUTES);
        log.info("fault run: workload written, {} changes", workload.written());

        Set<String> expected = Oracle.expectedFirings(postgres, database);
        awaitDelivered(expected);

        app.stop(Duration.ofSeconds(60));
        FaultReport report = report(expected);
        System.out.println(report.line());
        log.info("{}", report.line());
        return report;
    }

    private void startBroker() {
        broker.start();
        broker.awaitLogLine(KafkaServerMain.READY, START_TIMEOUT);
    }

    private String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    private void prepareDatabase() {
        database = postgres.newDatabase("fault");
        workload = new Workload(postgres, database, plan.seed(), plan.bigTransactionRows());
        workload.createSchema();
    }

    private void writeConfig() throws IOException {
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(
                config.resolve("application.yaml"),
                String.join(
                        "\n",
                        "prefix: " + PREFIX,
                        "kafka: {bootstrap.servers: '" + bootstrapServers() + "'}",
                        "topics: {partitions: 3, replication: 1}",
                        "http: {host: 127.0.0.1, port: 0}",
                        "state: {dir: '" + dir.resolve("state") + "'}",
                        "shutdown: {timeout: 20s}",
                        ""));
        Files.createDirectories(config.resolve("connectors"));
        Files.writeString(
                config.resolve("connectors").resolve("shop.yaml"),
                String.join(
                        "\n",
                        "name: shop",
                        "type: postgres",
                        "database:",
                        "  host: " + postgres.host(),
                        "  port: " + postgres.port(),
                        "  name: " + database,
                        "  user: " + postgres.user(),
                        "  password: '" + postgres.password() + "'",
                        "tables: [public.orders, public.customers, public.items]",
                        "topic_prefix: shop",
                        ""));
        Files.createDirectories(config.resolve("observers"));
        Files.writeString(
                config.resolve("observers").resolve("shop.yaml"),
                String.format(Oracle.OBSERVERS, receiver.url(""), RETRY, SECRET));
    }

    /** Starts the app and waits until every part runs and its connector holds the slot. */
    private void startApp() {
        app.start();
        app.awaitLogLine("[app] STARTING_PARTS -> RUNNING", START_TIMEOUT);
        await().atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> !app.alive() || slotActive());
        if (!app.alive()) {
            throw new IllegalStateException(
                    "the app ended while starting:\n"
                            + ChildJvm.tail(app.logs().get(app.starts() - 1), 4000));
        }
    }

    /**
     * The fault moments, drawn from the seed: the span from 10 % to 85 % of the deliveries is cut
     * into one segment per fault, each fault falls at a random point of its segment (so two faults
     * never fall together), and the faults are dealt to the segments in a random order.
     */
    private List<Fault> schedule() {
        Random random = new Random(plan.seed() ^ 0x5DEECE66DL);
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < plan.appKills(); i++) {
            kinds.add("app-kill");
        }
        if (plan.brokerRestart()) {
            kinds.add("broker-restart");
        }
        if (!plan.receiverOutage().isZero()) {
            kinds.add("receiver-outage");
        }
        Collections.shuffle(kinds, random);
        List<Fault> faults = new ArrayList<>();
        double segment = 0.75 / Math.max(1, kinds.size());
        for (int i = 0; i < kinds.size(); i++) {
            faults.add(new Fault(kinds.get(i), 0.1 + segment * (i + random.nextDouble())));
        }
        log.info("fault run: faults at {}", faults);
        return faults;
    }

    /** Writes a slice of the workload at each tick, until the plan's changes are written. */
    private CompletableFuture<Void> startWriter() throws SQLException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Connection connection = workload.connect();
        Random random = new Random(plan.seed() ^ 0xB16L);
        long bigAt = (long) (plan.changes() * (0.2 + 0.4 * random.nextDouble()));
        int slice = (int) Math.max(1, plan.changesPerSecond() * WRITER_TICK.toMillis() / 1000);
        scheduler.scheduleAtFixedRate(
                () -> {
                    if (done.isDone()) {
                        return;
                    }
                    try {
                        workload.writeSlice(connection, slice, bigAt);
                        if (workload.written() >= plan.changes()) {
                            connection.close();
                            done.complete(null);
                        }
                    } catch (SQLException | RuntimeException e) {
                        done.completeExceptionally(e);
                    }
                },
                0,
                WRITER_TICK.toMillis(),
                TimeUnit.MILLISECONDS);
        return done;
    }

    /** Waits until the receiver has seen the fraction of the jobs, or gives up and goes on. */
    private void awaitProgress(double fraction) {
        try {
            await().atMost(plan.deliveryTimeout())
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> progress() >= fraction);
        } catch (ConditionTimeoutException e) {
            log.warn(
                    "fault run: deliveries stalled at {} before {} of the jobs; injecting now",
                    receiver.count(),
                    fraction);
        }
    }

    /**
     * The distinct jobs delivered, as a fraction of the jobs the whole workload will call for; the
     * total is extrapolated from what the changes written so far call for.
     */
    private double progress() throws SQLException {
        long written = workload.written();
        if (written == 0) {
            return 0;
        }
        double expectedSoFar = Oracle.expectedCount(postgres, database);
        double expectedInAll = expectedSoFar * Math.max(written, plan.changes()) / written;
        return expectedInAll == 0 ? 0 : distinctIds() / expectedInAll;
    }

    private void inject(Fault fault) throws InterruptedException {
        log.info(
                "fault run: {} at {} changes written, {} deliveries",
                fault.kind(),
                workload.written(),
                receiver.count());
        System.out.println(
                "fault run: "
                        + fault.kind()
                        + " after "
                        + workload.written()
                        + " changes and "
                        + receiver.count()
                        + " deliveries");
        switch (fault.kind()) {
            case "app-kill" -> {
                app.kill();
                await().atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> !slotActive());
                startApp();
            }
            case "broker-restart" -> {
                broker.kill();
                if (plan.brokerDowntime().isZero()) {
                    startBroker();
                } else {
                    // The next fault waits for deliveries, which stop until the broker is back.
                    scheduler.schedule(
                            this::startBroker,
                            plan.brokerDowntime().toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            }
            case "receiver-outage" -> {
                receiver.down();
                scheduler.schedule(
                        () -> {
                            receiver.up();
                            log.info("fault run: receiver back after {}", plan.receiverOutage());
                        },
                        plan.receiverOutage().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            default -> throw new IllegalArgumentException("unknown fault " + fault.kind());
        }
    }

    /** Waits until every expected firing was delivered, then that nothing more arrives. */
    private void awaitDelivered(Set<String> expected) {
        try {
            await().atMost(plan.deliveryTimeout())
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> !app.alive() || deliveredFirings().containsAll(expected));
        } catch (ConditionTimeoutException e) {
            log.warn("fault run: not every firing was delivered within {}", plan.deliveryTimeout());
            return;
        }
        // Late repeats or extra jobs would show up now: the counts must hold for a while.
        try {
            await().atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofSeconds(1))
                    .during(Duration.ofSeconds(10))
                    .until(() -> distinctIds() <= expected.size());
        } catch (ConditionTimeoutException e) {
            log.warn("fault run: more webhook-ids than expected jobs");
        }
    }

    private Set<String> deliveredFirings() {
        return receiver.deliveries().stream()
                .map(d -> Oracle.firingOf(d.body()))
                .collect(Collectors.toSet());
    }

    private long distinctIds() {
        return receiver.deliveries().stream()
                .map(RecordingReceiver.Delivery::webhookId)
                .distinct()
                .count();
    }

    private FaultReport report(Set<String> expected) throws Exception {
        List<RecordingReceiver.Delivery> deliveries = receiver.deliveries();
        Map<String, Set<String>> idsByFiring = new HashMap<>();
        for (RecordingReceiver.Delivery delivery : deliveries) {
            idsByFiring
                    .computeIfAbsent(Oracle.firingOf(delivery.body()), f -> new HashSet<>())
                    .add(delivery.webhookId());
        }
        Set<String> ids =
                deliveries.stream()
                        .map(RecordingReceiver.Delivery::webhookId)
                        .collect(Collectors.toSet());
        List<String> lost =
                expected.stream().filter(f -> !idsByFiring.containsKey(f)).sorted().toList();
        long unexpected = idsByFiring.keySet().stream().filter(f -> !expected.contains(f)).count();
        long several = idsByFiring.values().stream().filter(s -> s.size() > 1).count();

        TopicAudit audit = new TopicAudit(bootstrapServers());
        List<String> eventIds =
                audit.read(
                        PREFIX + ".events",
                        ObserverSerdes.changeEvent().deserializer(),
                        r -> ((ChangeEvent) r.value()).getEventId());
        List<byte[]> deadJobs =
                audit.read(PREFIX + ".jobs.dlq", new ByteArrayDeserializer(), r -> r.value());
        List<String> jobIds =
                audit.read(
                        PREFIX + ".jobs",
                        ObserverSerdes.job().deserializer(),
                        r -> ((Job) r.value()).getJobId());
        log.info(
                "fault run: {} job records, {} distinct job ids",
                jobIds.size(),
                new HashSet<>(jobIds).size());

        return new FaultReport(
                plan.seed(),
                Oracle.changes(postgres, database),
                expected.size(),
                deliveries.size(),
                ids.size(),
                deliveries.size() - ids.size(),
                lost.size(),
                (int) unexpected,
                (int) several,
                deadJobs.size(),
                eventIds.size(),
                eventIds.size() - new HashSet<>(eventIds).size(),
                app.starts(),
                uncaughtLines(),
                lost.stream().limit(10).toList());
    }

    /** Every line of every process log that tells of an uncaught exception. */
    private List<String> uncaughtLines() {
        List<String> lines = new ArrayList<>();
        List<Path> logs = new ArrayList<>(app.logs());
        logs.addAll(broker.logs());
        for (Path file : logs) {
            ChildJvm.read(file)
                    .lines()
                    .filter(line -> UNCAUGHT.matcher(line).find())
                    .forEach(line -> lines.add(file.getFileName() + ": " + line));
        }
        return lines;
    }

    private boolean slotActive() throws SQLException {
        try (Connection connection = postgres.connect("postgres");
                Statement statement = connection.createStatement();
                ResultSet result =
                        statement.executeQuery(
                                "SELECT count(*) FROM pg_replication_slots WHERE active AND"
                                        + " database = '"
                                        + database
                                        + "'")) {
            result.next();
            return result.getInt(1) > 0;
        }
    }

    private static Path runnableJar() {
        Path jar = Path.of("target", "observers.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(
                    jar
                            + " is missing: the fault tests run the runnable jar that 'mvn package'"
                            + " builds (do not set -Dobservers.skipShade=true for them)");
        }
        return jar;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    @Override
    public void close() throws Exception {
        scheduler.shutdownNow();
        app.stop(Duration.ofSeconds(30));
        broker.stop(Duration.ofSeconds(30));
        receiver.close();
        if (database != null) {
            dropSlot();
        }
    }

    /** The run's replication slot would hold WAL on the shared server for ever: drop it. */
    private void dropSlot() {
        try (Connection connection = postgres.connect("postgres");
                Statement statement = connection.createStatement()) {
            statement.execute(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                            + " WHERE database = '"
                            + database
                            + "' AND NOT active");
        } catch (SQLException e) {
            log.warn(
                    "fault run: could not drop the replication slot of {}: {}",
                    database,
                    e.toString());
        }
    }
}
