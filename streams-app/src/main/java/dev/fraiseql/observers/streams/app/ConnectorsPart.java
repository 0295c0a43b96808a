package dev.fraiseql.observers.streams.app;

import dev.fraiseql.observers.connectors.ConnectorState;
import dev.fraiseql.observers.connectors.ConnectorStatus;
import dev.fraiseql.observers.connectors.ConnectorSupervisor;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.metrics.ObserverMetric;
import dev.fraiseql.observers.core.metrics.ObserverMetrics;
import dev.fraiseql.observers.core.metrics.ObserverTag;
import dev.fraiseql.observers.streams.http.Health;
import io.micrometer.core.instrument.Gauge;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors of the config folder's {@code connectors/} files as a part: a {@link
 * ConnectorSupervisor} that starts one Debezium engine per file and follows the folder.
 *
 * <p>Ready when every connector is {@code RUNNING}; a connector that is retrying or failed makes
 * the part not ready, with the connectors' states and messages as the reason.
 *
 * <p>Each connector has a {@code fraiseql_observer_connector_up{connector}} gauge, 1 while its
 * engine is {@code RUNNING} and 0 otherwise. Connector files come and go while the part runs, so
 * the gauges follow the supervisor's list once a second: a new connector gets its gauge, and a
 * removed one loses it rather than reporting 0 forever.
 */
final class ConnectorsPart implements Part {
    private static final Logger log = LoggerFactory.getLogger(ConnectorsPart.class);
    private static final Duration GAUGE_FOLLOW_INTERVAL = Duration.ofSeconds(1);

    private final ConnectorSupervisor supervisor;
    private final ObserverMetrics metrics;
    private final Map<String, Gauge> upGauges = new HashMap<>();
    private ScheduledExecutorService gaugeFollower;

    ConnectorsPart(PartContext context) {
        Map<String, Object> kafka = new HashMap<>(context.config().kafka());
        this.supervisor =
                new ConnectorSupervisor(
                        context.folder().connectorsDir(),
                        kafka,
                        EnvExpander.system(),
                        Clock.systemUTC());
        this.metrics = context.metrics();
    }

    @Override
    public String name() {
        return PartKind.CONNECTORS.key();
    }

    @Override
    public void start() {
        supervisor.start();
        followConnectorGauges();
        gaugeFollower =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "connector-up-gauges");
                            thread.setDaemon(true);
                            return thread;
                        });
        gaugeFollower.scheduleWithFixedDelay(
                this::followConnectorGauges,
                GAUGE_FOLLOW_INTERVAL.toMillis(),
                GAUGE_FOLLOW_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Adds a gauge for each new connector and removes the gauges of connectors gone. */
    private synchronized void followConnectorGauges() {
        try {
            Set<String> names =
                    supervisor.statuses().stream()
                            .map(ConnectorStatus::name)
                            .collect(Collectors.toSet());
            for (String name : names) {
                upGauges.computeIfAbsent(
                        name,
                        n ->
                                metrics.gauge(
                                        ObserverMetric.CONNECTOR_UP,
                                        () -> isRunning(n) ? 1 : 0,
                                        ObserverTag.CONNECTOR.is(n)));
            }
            upGauges.entrySet()
                    .removeIf(
                            entry -> {
                                if (names.contains(entry.getKey())) {
                                    return false;
                                }
                                metrics.registry().remove(entry.getValue());
                                return true;
                            });
        } catch (RuntimeException e) {
            log.warn(
                    "[connectors] connector_up gauges not updated; trying again: {}", e.toString());
        }
    }

    private boolean isRunning(String name) {
        return supervisor.statuses().stream()
                .anyMatch(s -> s.name().equals(name) && s.state() == ConnectorState.RUNNING);
    }

    @Override
    public Health health() {
        List<ConnectorStatus> statuses = supervisor.statuses();
        if (statuses.isEmpty()) {
            return Health.notReady("NO_CONNECTORS", "no valid connector file in connectors/");
        }
        boolean allRunning =
                statuses.stream().allMatch(status -> status.state() == ConnectorState.RUNNING);
        String states =
                statuses.stream()
                        .map(status -> status.name() + "=" + status.state())
                        .collect(Collectors.joining(", "));
        if (allRunning) {
            return Health.ready("RUNNING");
        }
        String messages =
                statuses.stream()
                        .filter(status -> status.state() != ConnectorState.RUNNING)
                        .map(status -> status.name() + ": " + status.message())
                        .collect(Collectors.joining("; "));
        return Health.notReady(states, messages);
    }

    @Override
    public void close(Duration timeout) {
        if (gaugeFollower != null) {
            gaugeFollower.shutdownNow();
        }
        supervisor.close();
    }
}
