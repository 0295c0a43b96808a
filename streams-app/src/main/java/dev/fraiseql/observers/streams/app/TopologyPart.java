package dev.fraiseql.observers.streams.app;

import dev.fraiseql.observers.core.config.ConfigException;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.Problem;
import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import dev.fraiseql.observers.core.config.app.GroupNames;
import dev.fraiseql.observers.core.config.connector.ConnectorConfig;
import dev.fraiseql.observers.core.config.connector.ConnectorFileLoader;
import dev.fraiseql.observers.core.observer.ObserverRegistry;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import dev.fraiseql.observers.streams.http.Health;
import dev.fraiseql.observers.streams.topology.CdcSource;
import dev.fraiseql.observers.streams.topology.ObserversTopology;
import dev.fraiseql.observers.streams.topology.entities.EntityLookup;
import dev.fraiseql.observers.streams.topology.entities.EntityLookupHandler;
import dev.fraiseql.observers.streams.topology.match.ObserverMatchStep;
import dev.fraiseql.observers.streams.topology.match.ObserversHttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams topology as a part: normalize, dedup, entity cache and observer matching over
 * the change topics of the config folder's connector files, under {@code exactly_once_v2}, with the
 * application id {@code <prefix>-topology} and its state in {@code state.dir}.
 *
 * <p>The change topics are read by pattern, so a connector's topics are picked up when it creates
 * them; the main consumer refreshes its metadata every {@value #METADATA_REFRESH_MS} ms (unless
 * {@code kafka:} sets {@code metadata.max.age.ms}) so that a new table's topic is read within
 * seconds rather than Kafka's default five minutes. A stream thread that dies on an unexpected
 * error is replaced and the error logged. Connector files are read for their names and topic
 * prefixes only: a file that does not validate is skipped here and reported by the connectors part.
 *
 * <p>When the HTTP endpoint is on, the part serves {@code GET /observers} (the observers in force
 * with their counts) and {@code GET /entities/{entity}/{key}} (the cached row), and advertises the
 * endpoint as its {@code application.server} so that a lookup of a key another instance holds is
 * forwarded there.
 */
final class TopologyPart implements Part {
    private static final Logger log = LoggerFactory.getLogger(TopologyPart.class);
    private static final String METADATA_REFRESH_MS = "2000";

    private final PartContext context;
    private final SharedObservers observers;
    private KafkaStreams streams;
    private AutoCloseable metrics;
    private final List<AutoCloseable> mounts = new ArrayList<>();

    TopologyPart(PartContext context, SharedObservers observers) {
        this.context = context;
        this.observers = observers;
    }

    @Override
    public String name() {
        return PartKind.TOPOLOGY.key();
    }

    @Override
    public void start() throws IOException {
        ApplicationConfig config = context.config();
        List<CdcSource> sources = sources(context.folder().connectorsDir());
        ObserverRegistry registry = observers.acquire(context.folder().observersDir());

        ObserversTopology topology =
                ObserversTopology.builder(sources)
                        .topicPrefix(config.prefix())
                        .dedupWindow(config.dedupWindow())
                        .meterRegistry(context.telemetry().registry())
                        .onEvents(
                                new ObserverMatchStep(
                                        registry,
                                        config.prefix(),
                                        Clock.systemUTC(),
                                        context.metrics(),
                                        ObserverSerdes.job()))
                        .create();
        Optional<InetSocketAddress> http = context.httpAddress();
        Properties properties = streamsProperties(config);
        http.ifPresent(
                address ->
                        properties.put(
                                StreamsConfig.APPLICATION_SERVER_CONFIG,
                                address.getHostString() + ":" + address.getPort()));
        streams = new KafkaStreams(topology.build(), properties);
        streams.setUncaughtExceptionHandler(
                error -> {
                    log.error("[topology] a stream thread failed; replacing it", error);
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                            .REPLACE_THREAD;
                });
        metrics = context.telemetry().bind(streams);
        mounts.add(context.mountRaw("/observers", new ObserversHttpHandler(registry)));
        http.ifPresent(
                address ->
                        mounts.add(
                                context.mountRaw(
                                        "/entities",
                                        new EntityLookupHandler(
                                                new EntityLookup(
                                                        streams,
                                                        new HostInfo(
                                                                address.getHostString(),
                                                                address.getPort()))))));
        streams.start();
        log.info("[topology] started over {} change sources", sources.size());
    }

    @Override
    public Health health() {
        KafkaStreams.State state = streams.state();
        return switch (state) {
            case RUNNING -> Health.ready(state.name());
            case ERROR, PENDING_ERROR -> Health.failed(state.name(), "Kafka Streams stopped");
            default -> Health.notReady(state.name(), "Kafka Streams is " + state);
        };
    }

    @Override
    public void close(Duration timeout) throws Exception {
        mounts.forEach(TopologyPart::closeQuietly);
        mounts.clear();
        if (streams != null) {
            streams.close(timeout);
        }
        closeQuietly(metrics);
        observers.release();
    }

    private Properties streamsProperties(ApplicationConfig config) {
        Properties properties = new Properties();
        properties.putAll(config.kafka());
        properties.put(
                StreamsConfig.APPLICATION_ID_CONFIG, new GroupNames(config.prefix()).topology());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        properties.putIfAbsent(
                StreamsConfig.mainConsumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG),
                config.kafka().getOrDefault("metadata.max.age.ms", METADATA_REFRESH_MS));
        return properties;
    }

    private static List<CdcSource> sources(Path connectorsDir) throws IOException {
        List<CdcSource> sources = new ArrayList<>();
        ConnectorFileLoader loader = new ConnectorFileLoader(EnvExpander.system());
        if (Files.isDirectory(connectorsDir)) {
            try (Stream<Path> files = Files.list(connectorsDir)) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    if (!name.endsWith(".yaml") && !name.endsWith(".yml")) {
                        continue;
                    }
                    try {
                        ConnectorConfig connector = loader.load(file);
                        sources.add(CdcSource.of(connector));
                    } catch (ConfigException e) {
                        log.warn("[topology] {} skipped: it does not validate", name);
                    }
                }
            }
        }
        if (sources.isEmpty()) {
            throw new ConfigException(
                    List.of(
                            new Problem(
                                    "connectors/",
                                    0,
                                    "",
                                    null,
                                    "the topology needs at least one valid connector file to know"
                                            + " which change topics to read",
                                    "add a connector file, or switch the topology off with"
                                            + " 'parts.topology: false'")));
        }
        return sources;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("[topology] a resource did not close cleanly; continuing", e);
        }
    }
}
