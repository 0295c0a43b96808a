package dev.fraiseql.observers.connectors;

import dev.fraiseql.observers.core.config.connector.ConnectorConfig;
import dev.fraiseql.observers.core.config.connector.ConnectorType;
import dev.fraiseql.observers.core.retry.RetryPolicy;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connector: checks the database, runs a Debezium engine that writes every change to
 * Kafka, and decides what to do when the engine stops: retry after a growing delay, fail for good
 * with a message that says what to fix, or stay stopped when asked to.
 *
 * <p>Each attempt runs on its own thread, because the engine's {@code run()} blocks until the
 * engine stops. State changes go through {@link #moveTo}, which checks {@link ConnectorState}'s
 * transitions.
 */
final class ConnectorRunner {
    private static final Logger log = LoggerFactory.getLogger(ConnectorRunner.class);

    /** Delays between attempts: 1 s doubling to 1 min, never giving up while the file exists. */
    static final RetryPolicy BACKOFF =
            new RetryPolicy(
                    Integer.MAX_VALUE, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), 0);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final ConnectorConfig config;
    private final Map<String, String> engineProperties;
    private final Map<String, Object> kafkaProperties;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    private ConnectorStatus status;
    private boolean stopping;
    private int failedAttempts;
    private DebeziumEngine<ChangeEvent<String, String>> engine;
    private Thread thread;
    private ScheduledFuture<?> retry;

    ConnectorRunner(
            ConnectorConfig config,
            Map<String, String> engineProperties,
            Map<String, Object> kafkaProperties,
            Clock clock,
            ScheduledExecutorService scheduler) {
        this.config = config;
        this.engineProperties = Map.copyOf(engineProperties);
        this.kafkaProperties = Map.copyOf(kafkaProperties);
        this.clock = clock;
        this.scheduler = scheduler;
        this.status =
                new ConnectorStatus(
                        config.name(),
                        config.type().name(),
                        ConnectorState.STARTING,
                        "starting",
                        clock.instant());
    }

    ConnectorConfig config() {
        return config;
    }

    synchronized ConnectorStatus status() {
        return status;
    }

    /** Starts the first attempt. */
    synchronized void start() {
        log.info(
                "[{}] starting {} connector from {} with {}",
                config.name(),
                config.type().name(),
                config.file(),
                config.maskedEngineProperties());
        launchAttempt();
    }

    /** Stops the engine and waits for it; the connector ends in {@code STOPPED}. */
    void stop() {
        Thread running;
        DebeziumEngine<ChangeEvent<String, String>> current;
        synchronized (this) {
            if (status.state() == ConnectorState.STOPPED) {
                return;
            }
            stopping = true;
            if (retry != null) {
                retry.cancel(false);
            }
            running = thread;
            current = engine;
        }

        closeEngine(current);
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join(STOP_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (running.isAlive()) {
                log.warn(
                        "[{}] the engine thread did not end within {} s; leaving it to finish",
                        config.name(),
                        STOP_TIMEOUT.toSeconds());
            }
        }

        synchronized (this) {
            moveTo(ConnectorState.STOPPED, "stopped");
        }
    }

    private void launchAttempt() {
        if (stopping) {
            return;
        }
        if (status.state() != ConnectorState.STARTING) {
            moveTo(ConnectorState.STARTING, "starting attempt " + (failedAttempts + 1));
        }
        thread = new Thread(this::runAttempt, "observers-connector-" + config.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** One attempt, on its own thread: check, run the engine until it stops, then decide. */
    private void runAttempt() {
        Failure failure;
        try {
            failure = attempt();
        } catch (RuntimeException | LinkageError e) {
            failure = Failure.classify(e);
        }
        synchronized (this) {
            afterAttempt(failure);
        }
    }

    private Failure attempt() {
        if (config.type().kind() == ConnectorType.Kind.POSTGRES) {
            Failure preflight = PostgresPreflight.check(config).orElse(null);
            if (preflight != null) {
                return preflight;
            }
        }

        CompletableFuture<Failure> outcome = new CompletableFuture<>();
        try (KafkaSink sink = new KafkaSink(config.name(), kafkaProperties)) {
            DebeziumEngine<ChangeEvent<String, String>> created = buildEngine(sink, outcome);
            synchronized (this) {
                if (stopping) {
                    closeEngine(created);
                    return null;
                }
                engine = created;
            }
            // Returns when the engine has stopped and released its resources, whether it was
            // asked to or failed.
            created.run();
        }
        synchronized (this) {
            engine = null;
        }
        return outcome.getNow(Failure.retriable("the engine stopped without saying why"));
    }

    private DebeziumEngine<ChangeEvent<String, String>> buildEngine(
            KafkaSink sink, CompletableFuture<Failure> outcome) {
        Properties properties = new Properties();
        properties.putAll(engineProperties);
        return DebeziumEngine.create(Json.class)
                .using(properties)
                .using(
                        new DebeziumEngine.ConnectorCallback() {
                            @Override
                            public void taskStarted() {
                                onTaskStarted();
                            }
                        })
                .using(
                        (success, message, error) ->
                                outcome.complete(
                                        success || error == null && stopping
                                                ? null
                                                : error == null
                                                        ? Failure.retriable(message)
                                                        : Failure.classify(error)))
                .notifying(
                        (List<ChangeEvent<String, String>> records,
                                DebeziumEngine.RecordCommitter<ChangeEvent<String, String>>
                                        committer) -> {
                            // Offsets are committed only after Kafka has acknowledged every record
                            // of the batch: a crash before that re-sends the batch, never loses it.
                            sink.sendAndAwait(records);
                            for (ChangeEvent<String, String> record : records) {
                                committer.markProcessed(record);
                            }
                            committer.markBatchFinished();
                        })
                .build();
    }

    private synchronized void onTaskStarted() {
        if (!stopping && status.state() == ConnectorState.STARTING) {
            failedAttempts = 0;
            moveTo(ConnectorState.RUNNING, "capturing changes");
            log.info("[{}] running", config.name());
        }
    }

    private void afterAttempt(Failure failure) {
        thread = null;
        if (stopping) {
            return;
        }
        if (failure == null) {
            failure = Failure.retriable("the engine stopped");
        }

        String where = "connector '" + config.name() + "' (" + config.file() + "): ";
        if (failure.permanent()) {
            moveTo(ConnectorState.FAILED, where + failure.message());
            log.error("{}{}; it stays stopped until its file changes", where, failure.message());
            return;
        }

        failedAttempts++;
        Duration delay = BACKOFF.nominalDelayBefore(failedAttempts + 1);
        String message =
                where
                        + failure.message()
                        + "; attempt "
                        + failedAttempts
                        + " failed, next attempt in "
                        + delay.toMillis()
                        + " ms";
        moveTo(ConnectorState.RETRYING, message);
        log.warn("{}", message);
        try {
            retry =
                    scheduler.schedule(
                            () -> {
                                synchronized (this) {
                                    launchAttempt();
                                }
                            },
                            delay.toMillis(),
                            TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The supervisor is closing; it stops this connector next.
            log.debug("[{}] no retry scheduled: the supervisor is closing", config.name());
        }
    }

    private void moveTo(ConnectorState target, String message) {
        ConnectorState from = status.state();
        if (from == target) {
            status =
                    new ConnectorStatus(
                            config.name(), config.type().name(), target, message, status.since());
            return;
        }
        if (!from.canMoveTo(target)) {
            throw new IllegalStateException(
                    "connector " + config.name() + " cannot move from " + from + " to " + target);
        }
        status =
                new ConnectorStatus(
                        config.name(), config.type().name(), target, message, clock.instant());
    }

    private void closeEngine(DebeziumEngine<ChangeEvent<String, String>> current) {
        if (current == null) {
            return;
        }
        try {
            current.close();
        } catch (IOException | RuntimeException e) {
            log.warn("[{}] the engine did not close cleanly: {}", config.name(), e.toString());
        }
    }
}
