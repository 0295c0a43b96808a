package dev.fraiseql.observers.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fraiseql.observers.core.config.ConfigException;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.app.ApplicationConfigLoader;
import dev.fraiseql.observers.core.config.app.ConfigFolder;
import dev.fraiseql.observers.streams.http.Health;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ObserversApplicationTest {
    private static final Path ROOT = Path.of("/srv/observers");

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Duration> closeTimeouts = new CopyOnWriteArrayList<>();

    /** A part that records its start and close in {@link #events}. */
    private final class RecordingPart implements Part {
        private final String name;
        private final boolean failOnStart;
        private final boolean failOnClose;

        RecordingPart(String name, boolean failOnStart, boolean failOnClose) {
            this.name = name;
            this.failOnStart = failOnStart;
            this.failOnClose = failOnClose;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start() {
            events.add("start " + name);
            if (failOnStart) {
                throw new IllegalStateException(name + " cannot reach its database");
            }
        }

        @Override
        public Health health() {
            return Health.notReady("REBALANCING", name + " is rebalancing");
        }

        @Override
        public void close(Duration timeout) {
            events.add("close " + name);
            closeTimeouts.add(timeout);
            if (failOnClose) {
                throw new IllegalStateException(name + " close failed");
            }
        }
    }

    private static ConfigFolder folder(String parts) {
        String yaml =
                "kafka: {bootstrap.servers: 127.0.0.1:9}\n"
                        + "shutdown.timeout: 20s\n"
                        + "parts: {http: false, "
                        + parts
                        + "}\n";
        return new ConfigFolder(
                ROOT,
                new ApplicationConfigLoader(EnvExpander.of(Map.of()))
                        .parse(yaml, "application.yaml", ROOT));
    }

    private PartCatalog catalog(
            RecordingPart connectors, RecordingPart topology, RecordingPart worker) {
        return PartCatalog.empty()
                .with(PartKind.CONNECTORS, context -> connectors)
                .with(PartKind.TOPOLOGY, context -> topology)
                .with(PartKind.WORKER, context -> worker);
    }

    private TopicPreparation recordingTopics() {
        return config -> {
            events.add("topics " + config.prefix());
            return new TopicManager.Report(List.of(), List.of(), List.of());
        };
    }

    @Test
    void partsStartInOrderAfterTheTopicsAndCloseInReverse() {
        ObserversApplication app =
                ObserversApplication.create(
                        folder("connectors: true, topology: true, worker: true"),
                        catalog(
                                new RecordingPart("connectors", false, false),
                                new RecordingPart("topology", false, false),
                                new RecordingPart("worker", false, false)),
                        recordingTopics());

        app.start();
        assertThat(app.state()).isEqualTo(ApplicationState.RUNNING);
        assertThat(app.partState("worker")).contains(PartState.RUNNING);
        app.close();

        assertThat(events)
                .containsExactly(
                        "topics observers",
                        "start connectors",
                        "start topology",
                        "start worker",
                        "close worker",
                        "close topology",
                        "close connectors");
        assertThat(app.state()).isEqualTo(ApplicationState.STOPPED);
        assertThat(app.partState("topology")).contains(PartState.STOPPED);
        assertThat(closeTimeouts).allMatch(t -> t.compareTo(Duration.ofSeconds(20)) <= 0);
        assertThat(closeTimeouts.get(0)).isGreaterThan(Duration.ofSeconds(19));
    }

    @Test
    void switchedOffPartIsNeitherBuiltNorStarted() {
        ObserversApplication app =
                ObserversApplication.create(
                        folder("connectors: false, topology: true, worker: false"),
                        PartCatalog.empty()
                                .with(
                                        PartKind.TOPOLOGY,
                                        context -> new RecordingPart("topology", false, false)),
                        recordingTopics());

        app.start();
        app.close();

        assertThat(events).containsExactly("topics observers", "start topology", "close topology");
    }

    @Test
    void closeFailureOfOnePartDoesNotSkipTheOthers() {
        ObserversApplication app =
                ObserversApplication.create(
                        folder("connectors: true, topology: true, worker: true"),
                        catalog(
                                new RecordingPart("connectors", false, false),
                                new RecordingPart("topology", false, true),
                                new RecordingPart("worker", false, false)),
                        recordingTopics());
        app.start();

        app.close();

        assertThat(events).endsWith("close worker", "close topology", "close connectors");
        assertThat(app.state()).isEqualTo(ApplicationState.STOPPED);
    }

    @Test
    void failedStartClosesWhatStartedAndRethrows() {
        ObserversApplication app =
                ObserversApplication.create(
                        folder("connectors: true, topology: true, worker: true"),
                        catalog(
                                new RecordingPart("connectors", false, false),
                                new RecordingPart("topology", true, false),
                                new RecordingPart("worker", false, false)),
                        recordingTopics());

        assertThatThrownBy(app::start).hasMessage("topology cannot reach its database");

        assertThat(events)
                .containsExactly(
                        "topics observers",
                        "start connectors",
                        "start topology",
                        "close topology",
                        "close connectors");
        assertThat(app.state()).isEqualTo(ApplicationState.STOPPED);
    }

    @Test
    void healthShowsTheApplicationStateAndEachRunningPartsOwnHealth() {
        ObserversApplication app =
                ObserversApplication.create(
                        folder("connectors: false, topology: true, worker: false"),
                        PartCatalog.empty()
                                .with(
                                        PartKind.TOPOLOGY,
                                        context -> new RecordingPart("topology", false, false)),
                        recordingTopics());
        assertThat(app.health().parts().get("application"))
                .isEqualTo(Health.notReady("NEW", "the application is NEW"));

        app.start();

        assertThat(app.health().parts())
                .containsEntry("application", Health.ready("RUNNING"))
                .containsEntry(
                        "topology", Health.notReady("REBALANCING", "topology is rebalancing"));
        assertThat(app.health().ready()).isFalse();
        app.close();
        assertThat(app.health().parts().get("topology"))
                .isEqualTo(Health.notReady("STOPPED", "topology is STOPPED"));
    }

    @Test
    void switchedOnPartMissingFromTheBuildFailsWithHowToSwitchItOff() {
        assertThatThrownBy(
                        () ->
                                ObserversApplication.create(
                                        folder("connectors: false, topology: true, worker: true"),
                                        PartCatalog.empty()
                                                .unavailable(
                                                        PartKind.TOPOLOGY,
                                                        "the Kafka Streams topology")
                                                .unavailable(PartKind.WORKER, "the job worker"),
                                        recordingTopics()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "2 configuration problems:\n"
                                + "  - application.yaml: parts.topology: the Kafka Streams"
                                + " topology is not part of this build yet (value: 'true');"
                                + " switch it off with 'parts.topology: false' or --no-topology"
                                + " on the command line\n"
                                + "  - application.yaml: parts.worker: the job worker is not part"
                                + " of this build yet (value: 'true'); switch it off with"
                                + " 'parts.worker: false' or --no-worker on the command line");
        assertThat(events).isEmpty();
    }

    @Test
    void partStateMachineListsItsLegalTransitions() {
        assertThat(PartState.NEW.canMoveTo(PartState.RUNNING)).isFalse();
        assertThat(PartState.RUNNING.canMoveTo(PartState.STOPPING)).isTrue();
        assertThat(PartState.STOPPED.next()).isEmpty();
        assertThat(ApplicationState.RUNNING.canMoveTo(ApplicationState.STARTING_PARTS)).isFalse();
        assertThat(ApplicationState.FAILED.next()).containsExactly(ApplicationState.STOPPING);
    }
}
