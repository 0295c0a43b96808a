package dev.fraiseql.observers.streams.app;

import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import dev.fraiseql.observers.streams.http.Health;
import dev.fraiseql.observers.streams.http.Telemetry;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a Kafka Streams topology as a {@link Part}: its health is the Streams state (ready only when
 * {@code RUNNING}), its metrics are exported, and {@link #close(Duration)} lets the stream threads
 * commit within the timeout.
 *
 * <p>An exception that escapes a stream thread shuts the Streams client down ({@code ERROR}), which
 * makes the process not live so that the orchestrator restarts it: replacing the thread would loop
 * on a record that fails every time.
 */
public final class StreamsPart implements Part {
    private static final Logger log = LoggerFactory.getLogger(StreamsPart.class);

    private final String name;
    private final Supplier<Topology> topology;
    private final Properties properties;
    private final Telemetry telemetry;
    private volatile KafkaStreams streams;
    private AutoCloseable metricsBinding;

    /**
     * A part that runs the topology with the given Streams settings.
     *
     * @param name the part's name in logs and {@code /health} ({@code topology}, {@code worker})
     * @param topology builds the topology at start
     * @param properties the Streams settings, see {@link #streamsProperties}
     * @param telemetry where the Streams metrics are exported
     */
    public StreamsPart(
            String name, Supplier<Topology> topology, Properties properties, Telemetry telemetry) {
        this.name = Objects.requireNonNull(name, "name");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.properties = (Properties) properties.clone();
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    }

    /**
     * Streams settings from the configuration: the Kafka client settings passed through, {@code
     * application.id} {@code <prefix>-<suffix>}, the state directory, and {@code exactly_once_v2}.
     */
    public static Properties streamsProperties(
            ApplicationConfig config, String applicationIdSuffix) {
        Properties properties = config.kafkaProperties();
        properties.put(
                StreamsConfig.APPLICATION_ID_CONFIG, config.prefix() + "-" + applicationIdSuffix);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        properties.putIfAbsent(
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        return properties;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() {
        KafkaStreams created = new KafkaStreams(topology.get(), properties);
        created.setStateListener(
                (newState, oldState) ->
                        log.info("[{}] Kafka Streams {} -> {}", name, oldState, newState));
        created.setUncaughtExceptionHandler(
                error -> {
                    log.error(
                            "[{}] stream thread failed; shutting this Streams client down",
                            name,
                            error);
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                            .SHUTDOWN_CLIENT;
                });
        metricsBinding = telemetry.bind(created);
        streams = created;
        created.start();
    }

    /** The running Streams client, for interactive queries; null before start. */
    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public Health health() {
        KafkaStreams current = streams;
        if (current == null) {
            return Health.notReady("NOT_STARTED", "Kafka Streams is not started");
        }
        KafkaStreams.State state = current.state();
        return switch (state) {
            case RUNNING -> Health.ready(state.name());
            case ERROR, PENDING_ERROR ->
                    Health.failed(state.name(), "a stream thread failed; see the log");
            default -> Health.notReady(state.name(), "Kafka Streams is " + state + ", not RUNNING");
        };
    }

    @Override
    public void close(Duration timeout) {
        KafkaStreams current = streams;
        if (current != null) {
            boolean closed = current.close(timeout);
            if (!closed) {
                log.warn("[{}] Kafka Streams did not close within {} ms", name, timeout.toMillis());
            }
        }
        if (metricsBinding != null) {
            try {
                metricsBinding.close();
            } catch (Exception e) {
                log.warn("[{}] Streams metrics did not unbind cleanly", name, e);
            }
        }
    }
}
