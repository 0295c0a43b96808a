package dev.fraiseql.observers.connectors;

import dev.fraiseql.observers.core.config.ConfigException;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.Problem;
import dev.fraiseql.observers.core.config.connector.ConnectorConfig;
import dev.fraiseql.observers.core.config.connector.ConnectorFileLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Debezium engine per connector file in a folder and keeps the set in step with the folder
 * while the process runs: a new file starts a connector, a changed file restarts it, a removed file
 * stops it.
 *
 * <p>Every change is written to {@code <topic prefix>.<schema>.<table>} with Debezium's JSON
 * envelope (schemas included) as the value and Debezium's key as the key. An engine's offsets are
 * committed only after Kafka has acknowledged the records they cover, and they are stored in the
 * Kafka topic {@value #OFFSETS_TOPIC}, so a restarted process resumes where it stopped (a re-sent
 * change after a crash is expected; the streams app removes it). MySQL and MariaDB keep their
 * schema history in {@code observers.connectors.<name>.schema-history}.
 *
 * <p>One connector's failure never stops another: a database that cannot be reached is retried with
 * a growing delay ({@code RETRYING}); a problem only a person can fix ({@code FAILED}) is reported
 * with what to fix, and the connector waits until its file changes. A file that does not validate
 * is reported and ignored until it is fixed; a connector already running from an earlier version of
 * that file keeps running.
 *
 * <p>The folder is polled once a second rather than watched with a {@code WatchService}: polling
 * also sees the symbolic-link swaps with which Kubernetes updates mounted config maps, which
 * file-system events miss.
 */
public final class ConnectorSupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectorSupervisor.class);

    /** The compacted topic that holds every connector's source offsets. */
    public static final String OFFSETS_TOPIC = "observers.connectors.offsets";

    private static final Duration SCAN_INTERVAL = Duration.ofSeconds(1);
    private static final String OFFSET_FLUSH_INTERVAL_MS = "1000";

    private final Path folder;
    private final Map<String, Object> kafkaProperties;
    private final Clock clock;
    private final ConnectorFileLoader loader;
    private final ScheduledExecutorService scheduler;

    /** Running connectors by file name. Touched only on the scheduler thread and in close(). */
    private final Map<String, ConnectorRunner> runners = new LinkedHashMap<>();

    /** The last content seen of each file, so unchanged files are not parsed again. */
    private final Map<String, String> seenContent = new HashMap<>();

    /** Files that do not validate, by file name, as statuses for the health endpoint. */
    private final Map<String, ConnectorStatus> invalidFiles = new LinkedHashMap<>();

    private volatile boolean closed;

    /**
     * A supervisor for the connector files in {@code folder}.
     *
     * @param folder the {@code connectors/} folder of the config directory
     * @param kafkaProperties Kafka client settings (at least {@code bootstrap.servers}; TLS and
     *     SASL settings pass through to the producer, the admin client and the offset store)
     * @param env expands {@code ${env:...}} in the files
     * @param clock the source of the times in {@link #statuses()}
     */
    public ConnectorSupervisor(
            Path folder, Map<String, Object> kafkaProperties, EnvExpander env, Clock clock) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.kafkaProperties = Map.copyOf(kafkaProperties);
        if (!this.kafkaProperties.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("kafkaProperties must contain bootstrap.servers");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.loader = new ConnectorFileLoader(Objects.requireNonNull(env, "env"));
        this.scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "observers-connector-supervisor");
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /**
     * Starts a connector for every valid file in the folder, then keeps watching it. Returns once
     * the first scan is done; the engines start in the background.
     */
    public void start() {
        log.info("Connector supervisor watching {}", folder.toAbsolutePath());
        try {
            scheduler.submit(this::scanQuietly).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(
                    "the first scan of " + folder + " failed", e.getCause());
        }
        scheduler.scheduleWithFixedDelay(
                this::scanQuietly,
                SCAN_INTERVAL.toMillis(),
                SCAN_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The state of every connector (and of every file that does not validate), by name. */
    public List<ConnectorStatus> statuses() {
        List<ConnectorStatus> statuses = new ArrayList<>();
        synchronized (runners) {
            runners.values().forEach(runner -> statuses.add(runner.status()));
            statuses.addAll(invalidFiles.values());
        }
        statuses.sort(Comparator.comparing(ConnectorStatus::name));
        return statuses;
    }

    /** Stops every connector; each is stopped even when another fails to stop. */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ConnectorRunner> toStop;
        synchronized (runners) {
            toStop = new ArrayList<>(runners.values());
        }
        for (ConnectorRunner runner : toStop) {
            try {
                runner.stop();
            } catch (RuntimeException e) {
                log.warn("[{}] did not stop cleanly: {}", runner.config().name(), e.toString());
            }
        }
        log.info("Connector supervisor stopped ({} connectors)", toStop.size());
    }

    private void scanQuietly() {
        if (closed) {
            return;
        }
        try {
            scan();
        } catch (RuntimeException e) {
            // The scan runs on a schedule; an escaping exception would cancel it for good.
            log.error(
                    "Scanning {} failed; will scan again in {} s",
                    folder,
                    SCAN_INTERVAL.toSeconds(),
                    e);
        }
    }

    /** Compares the folder with what runs, and starts, restarts or stops connectors to match. */
    private void scan() {
        Map<String, String> files = readFolder();

        for (String file : new ArrayList<>(seenContent.keySet())) {
            if (!files.containsKey(file)) {
                removed(file);
            }
        }
        for (Map.Entry<String, String> entry : files.entrySet()) {
            String previous = seenContent.get(entry.getKey());
            if (!entry.getValue().equals(previous)) {
                seenContent.put(entry.getKey(), entry.getValue());
                changed(entry.getKey());
            }
        }
    }

    private Map<String, String> readFolder() {
        Map<String, String> files = new LinkedHashMap<>();
        if (!Files.isDirectory(folder)) {
            return files;
        }
        try (Stream<Path> listing = Files.list(folder)) {
            for (Path file : listing.sorted().toList()) {
                String name = file.getFileName().toString();
                if (Files.isRegularFile(file)
                        && (name.endsWith(".yaml") || name.endsWith(".yml"))) {
                    try {
                        files.put(name, Files.readString(file));
                    } catch (IOException e) {
                        // Being rewritten right now; the next scan reads it again.
                        log.debug("Could not read {} this time: {}", file, e.toString());
                    }
                }
            }
        } catch (IOException e) {
            log.warn(
                    "Could not list {}: {}; will try again in {} s",
                    folder,
                    e.toString(),
                    SCAN_INTERVAL.toSeconds());
        }
        return files;
    }

    private void removed(String file) {
        seenContent.remove(file);
        ConnectorRunner runner;
        synchronized (runners) {
            invalidFiles.remove(file);
            runner = runners.remove(file);
        }
        if (runner != null) {
            log.info("[{}] {} was removed; stopping the connector", runner.config().name(), file);
            runner.stop();
        }
    }

    private void changed(String file) {
        ConnectorConfig config;
        try {
            config = loader.load(folder.resolve(file));
            checkUniqueName(file, config);
        } catch (ConfigException e) {
            invalid(file, e);
            return;
        }

        ConnectorRunner current;
        synchronized (runners) {
            invalidFiles.remove(file);
            current = runners.get(file);
        }
        if (current != null
                && current.config().equals(config)
                && current.status().state() != ConnectorState.FAILED) {
            return;
        }
        if (current != null) {
            log.info("[{}] {} changed; restarting the connector", config.name(), file);
            current.stop();
        }

        ConnectorRunner runner =
                new ConnectorRunner(
                        config, engineProperties(config), kafkaProperties, clock, scheduler);
        synchronized (runners) {
            runners.put(file, runner);
        }
        runner.start();
    }

    private void checkUniqueName(String file, ConnectorConfig config) {
        synchronized (runners) {
            for (Map.Entry<String, ConnectorRunner> other : runners.entrySet()) {
                if (!other.getKey().equals(file)
                        && other.getValue().config().name().equals(config.name())) {
                    throw new ConfigException(
                            List.of(
                                    new Problem(
                                            config.file(),
                                            0,
                                            "name",
                                            config.name(),
                                            "connector name already used by "
                                                    + other.getValue().config().file(),
                                            "give each connector file its own name")));
                }
            }
        }
    }

    private void invalid(String file, ConfigException error) {
        String problems =
                error.problems().stream().map(Problem::describe).collect(Collectors.joining("; "));
        ConnectorRunner running;
        synchronized (runners) {
            running = runners.get(file);
            if (running == null) {
                String name = file.replaceFirst("\\.ya?ml$", "");
                invalidFiles.put(
                        file,
                        new ConnectorStatus(
                                name,
                                "invalid",
                                ConnectorState.FAILED,
                                "the connector file is invalid and ignored until fixed: "
                                        + problems,
                                clock.instant()));
            }
        }
        log.error(
                "{}{}",
                running == null
                        ? "Ignoring an invalid connector file until it is fixed: "
                        : "["
                                + running.config().name()
                                + "] keeps running its previous settings;"
                                + " the new version of its file is invalid: ",
                error.getMessage());
    }

    /** The connector's own properties plus what this process owns: offsets, schema history. */
    Map<String, String> engineProperties(ConnectorConfig config) {
        Map<String, String> properties = new LinkedHashMap<>();
        kafkaProperties.forEach((key, value) -> properties.put(key, String.valueOf(value)));
        properties.put("offset.storage", ClosingKafkaOffsetStore.class.getName());
        properties.put("offset.storage.topic", OFFSETS_TOPIC);
        properties.put("offset.storage.partitions", "1");
        properties.put("offset.storage.replication.factor", "-1");
        properties.put("offset.flush.interval.ms", OFFSET_FLUSH_INTERVAL_MS);
        properties.put("converter.schemas.enable", "true");
        // The supervisor, not the engine, retries: it can tell a wrong password from a network
        // fault and shows RETRYING while it waits.
        properties.put("errors.max.retries", "0");
        if (config.type().needsSchemaHistory()) {
            addSchemaHistory(config, properties);
        }
        properties.putAll(config.engineProperties());
        return properties;
    }

    private void addSchemaHistory(ConnectorConfig config, Map<String, String> properties) {
        String prefix = "schema.history.internal.";
        properties.put(
                "schema.history.internal", "io.debezium.storage.kafka.history.KafkaSchemaHistory");
        properties.put(
                prefix + "kafka.topic",
                "observers.connectors." + config.name() + ".schema-history");
        properties.put(
                prefix + "kafka.bootstrap.servers",
                String.valueOf(kafkaProperties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)));
        kafkaProperties.forEach(
                (key, value) -> {
                    properties.put(prefix + "producer." + key, String.valueOf(value));
                    properties.put(prefix + "consumer." + key, String.valueOf(value));
                });
    }
}
