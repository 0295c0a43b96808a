package dev.fraiseql.observers.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import dev.fraiseql.observers.core.config.app.ApplicationConfigLoader;
import dev.fraiseql.observers.core.metrics.ObserverMetrics;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The queue gauges read from a real broker's offsets and DLQ records. */
class QueueGaugesIT {
    private final KafkaHarness kafka = Harnesses.kafka();

    private ApplicationConfig config(String prefix) {
        return new ApplicationConfigLoader(EnvExpander.system())
                .parse(
                        "prefix: "
                                + prefix
                                + "\nkafka:\n  bootstrap.servers: "
                                + kafka.bootstrapServers()
                                + "\n",
                        "application.yaml",
                        Path.of("."));
    }

    private KafkaProducer<byte[], byte[]> producer(boolean transactional) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        if (transactional) {
            properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "gauges-" + UUID.randomUUID());
        }
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties);
        if (transactional) {
            producer.initTransactions();
        }
        return producer;
    }

    /** Each record in its own transaction, so a commit marker follows every record. */
    private void writeInTransactions(String topic, int count) {
        try (KafkaProducer<byte[], byte[]> producer = producer(true)) {
            for (int i = 0; i < count; i++) {
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, 0, null, bytes("r" + i)));
                producer.commitTransaction();
            }
        }
    }

    private void write(String topic, int partition, int count) {
        try (KafkaProducer<byte[], byte[]> producer = producer(false)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, null, bytes("r" + i)));
            }
        }
    }

    private void commit(String group, String topic, int partition, long offset) throws Exception {
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            admin.alterConsumerGroupOffsets(
                            group,
                            Map.of(
                                    new TopicPartition(topic, partition),
                                    new OffsetAndMetadata(offset)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static double gauge(ObserverMetrics metrics, String name) {
        return metrics.registry().get(name).gauge().value();
    }

    @Test
    void gaugesCountRecordsNotMarkersAndLagFromCommittedOffsets() throws Exception {
        String prefix = kafka.uniqueName("gauges");
        String source = prefix + "-src.public.payment";
        kafka.createTopics(1, List.of(prefix + ".events.dlq", prefix + ".jobs.dlq", source));
        kafka.createTopics(2, List.of(prefix + ".jobs", prefix + ".jobs.retry.1s"));
        writeInTransactions(prefix + ".events.dlq", 3);
        writeInTransactions(prefix + ".jobs.dlq", 4);
        write(prefix + ".jobs", 0, 5);
        write(prefix + ".jobs.retry.1s", 1, 2);
        write(source, 0, 6);
        QueueGauges.Groups groups =
                new QueueGauges.Groups(
                        prefix + "-topology", prefix + "-worker", prefix + "-replay");
        // One job dead letter replayed (its record at 0, its marker at 1), three jobs taken, one
        // change processed.
        commit(groups.dlqReplay(), prefix + ".jobs.dlq", 0, 2);
        commit(groups.worker(), prefix + ".jobs", 0, 3);
        commit(groups.topology(), source, 0, 1);
        ObserverMetrics metrics = ObserverMetrics.inMemory();

        try (QueueGauges gauges =
                new QueueGauges(config(prefix), metrics, groups, Duration.ofSeconds(30))) {
            gauges.refresh();
            double dlqBefore = gauge(metrics, "fraiseql.observer.dlq.items");
            writeInTransactions(prefix + ".events.dlq", 1);
            gauges.refresh();

            assertThat(dlqBefore).isEqualTo(3.0);
            assertThat(gauge(metrics, "fraiseql.observer.dlq.items")).isEqualTo(4.0);
            assertThat(gauge(metrics, "fraiseql.observer.job.dlq_items")).isEqualTo(3.0);
            assertThat(gauge(metrics, "fraiseql.observer.job.queue_depth")).isEqualTo(4.0);
            assertThat(gauge(metrics, "fraiseql.observer.backlog.size")).isEqualTo(5.0);
        }
    }
}
