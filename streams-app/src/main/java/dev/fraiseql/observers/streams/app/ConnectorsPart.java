package dev.fraiseql.observers.streams.app;

import dev.fraiseql.observers.connectors.ConnectorState;
import dev.fraiseql.observers.connectors.ConnectorStatus;
import dev.fraiseql.observers.connectors.ConnectorSupervisor;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.streams.http.Health;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The connectors of the config folder's {@code connectors/} files as a part: a {@link
 * ConnectorSupervisor} that starts one Debezium engine per file and follows the folder.
 *
 * <p>Ready when every connector is {@code RUNNING}; a connector that is retrying or failed makes
 * the part not ready, with the connectors' states and messages as the reason.
 */
final class ConnectorsPart implements Part {
    private final ConnectorSupervisor supervisor;

    ConnectorsPart(PartContext context) {
        Map<String, Object> kafka = new HashMap<>(context.config().kafka());
        this.supervisor =
                new ConnectorSupervisor(
                        context.folder().connectorsDir(),
                        kafka,
                        EnvExpander.system(),
                        Clock.systemUTC());
    }

    @Override
    public String name() {
        return PartKind.CONNECTORS.key();
    }

    @Override
    public void start() {
        supervisor.start();
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
        supervisor.close();
    }
}
