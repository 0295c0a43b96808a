package dev.fraiseql.observers.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka cluster in KRaft mode running inside this JVM: one combined broker and controller
 * node, the production metadata version, and single-replica internal topics so that transactions
 * and consumer groups work on one node.
 *
 * <p>It backs the demo and the integration tests. It is not meant for production data: the log
 * directory is temporary and deleted on {@link #close()}, except for a cluster started with {@link
 * #startPersistent(Path, int)}, which keeps its directory and port so that it can be started again
 * (the fault-injection tests kill it and restart it through {@link KafkaServerMain}).
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** The listener of a persistent cluster that clients reach on the fixed port. */
    private static final String FIXED_LISTENER = "FIXED";

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaClusterTestKit cluster, String bootstrapServers) {
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a single-node cluster with a temporary log directory. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a single-node cluster.
     *
     * @param brokerProperties extra broker settings, applied after the defaults of this class
     */
    public static EmbeddedKafka start(Map<String, String> brokerProperties) {
        return start(brokerProperties, null);
    }

    /**
     * Starts a single-node cluster that keeps its data in {@code directory} and listens for clients
     * on a fixed port of 127.0.0.1, so that a broker started again on the same directory and port
     * (after a crash, in another JVM) has the same address, topics, committed offsets and
     * transactions. The directory is formatted on first use and kept on {@link #close()}.
     *
     * @param directory where the cluster id, the metadata log and the topic logs are kept
     * @param port the client port on 127.0.0.1
     */
    public static EmbeddedKafka startPersistent(Path directory, int port) {
        Objects.requireNonNull(directory, "directory");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
        return start(Map.of(), new Persistence(directory.toAbsolutePath(), port));
    }

    /** Where a persistent cluster keeps its data and which client port it listens on. */
    private record Persistence(Path directory, int port) {
        private static final String CLUSTER_ID_FILE = "cluster.id";

        /** The id of the cluster kept in the directory, created on first use. */
        String clusterId() throws IOException {
            Files.createDirectories(directory);
            Path file = directory.resolve(CLUSTER_ID_FILE);
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII).strip();
            }
            String id = Uuid.randomUuid().toString();
            Files.writeString(file, id, StandardCharsets.US_ASCII);
            return id;
        }

        /** True when an earlier start formatted the node's directories. */
        boolean formatted() throws IOException {
            try (Stream<Path> files = Files.walk(directory)) {
                return files.anyMatch(path -> path.endsWith("meta.properties"));
            }
        }
    }

    private static EmbeddedKafka start(
            Map<String, String> brokerProperties, Persistence persistence) {
        Objects.requireNonNull(brokerProperties, "brokerProperties");
        long startNanos = System.nanoTime();
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes.Builder nodesBuilder =
                    new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .setBootstrapMetadataVersion(MetadataVersion.latestProduction());
            if (persistence != null) {
                nodesBuilder
                        .setBaseDirectory(persistence.directory())
                        .setClusterId(persistence.clusterId());
            }
            TestKitNodes nodes = nodesBuilder.build();
            KafkaClusterTestKit.Builder builder =
                    new KafkaClusterTestKit.Builder(nodes)
                            .setConfigProp("offsets.topic.replication.factor", "1")
                            .setConfigProp("offsets.topic.num.partitions", "3")
                            .setConfigProp("transaction.state.log.replication.factor", "1")
                            .setConfigProp("transaction.state.log.min.isr", "1")
                            .setConfigProp("transaction.state.log.num.partitions", "3")
                            .setConfigProp("group.initial.rebalance.delay.ms", "0")
                            .setConfigProp("auto.create.topics.enable", "false")
                            .setConfigProp(
                                    "log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
            brokerProperties.forEach(builder::setConfigProp);
            if (persistence != null) {
                // The test kit binds its own listeners to ports it picks before the broker starts,
                // whatever the configuration says; a third listener of its own gets the fixed port.
                String broker = nodes.brokerListenerName().value();
                String controller = nodes.controllerListenerName().value();
                builder.setConfigProp(
                                "listener.security.protocol.map",
                                broker
                                        + ":PLAINTEXT,"
                                        + controller
                                        + ":PLAINTEXT,"
                                        + FIXED_LISTENER
                                        + ":PLAINTEXT")
                        .setConfigProp(
                                "listeners",
                                broker
                                        + "://localhost:0,"
                                        + controller
                                        + "://localhost:0,"
                                        + FIXED_LISTENER
                                        + "://127.0.0.1:"
                                        + persistence.port())
                        .setDeleteOnClose(false);
            }
            cluster = builder.build();
            if (persistence == null || !persistence.formatted()) {
                cluster.format();
            }
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            closeQuietly(cluster);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Could not start the in-process Kafka broker: " + e, e);
        }

        EmbeddedKafka kafka =
                new EmbeddedKafka(
                        cluster,
                        persistence == null
                                ? cluster.bootstrapServers()
                                : "127.0.0.1:" + persistence.port());
        log.info(
                "In-process Kafka broker (KRaft) ready at {} in {} ms",
                kafka.bootstrapServers,
                Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
        return kafka;
    }

    /** The {@code bootstrap.servers} value for clients of this cluster. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The first log directory of the broker, for tests that measure what is stored. */
    public Path logDirectory() {
        return Path.of(
                cluster.nodes()
                        .brokerNodes()
                        .values()
                        .iterator()
                        .next()
                        .logDataDirectories()
                        .iterator()
                        .next());
    }

    @Override
    public void close() {
        long startNanos = System.nanoTime();
        closeQuietly(cluster);
        log.info(
                "In-process Kafka broker at {} stopped in {} ms",
                bootstrapServers,
                Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn(
                    "The in-process Kafka broker did not close cleanly; its files may remain: {}",
                    e.toString());
        }
    }
}
