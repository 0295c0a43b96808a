package dev.fraiseql.observers.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
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
 * directory is temporary and deleted on {@link #close()}.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.bootstrapServers = cluster.bootstrapServers();
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
        Objects.requireNonNull(brokerProperties, "brokerProperties");
        long startNanos = System.nanoTime();
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes =
                    new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                            .build();
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
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            closeQuietly(cluster);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Could not start the in-process Kafka broker: " + e, e);
        }

        EmbeddedKafka kafka = new EmbeddedKafka(cluster);
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
