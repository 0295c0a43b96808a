package dev.fraiseql.observers.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * A bad change record on a real broker under {@code exactly_once_v2}: it lands in the events DLQ
 * once, the stream thread keeps running, and a restart of the application does not write it again.
 */
class EventsDeadLetterIT {
    private final KafkaHarness kafka = Harnesses.kafka();

    @Test
    void badRecordIsDeadLetteredOnceAcrossARestartAndLaterRecordsFlow() throws Exception {
        String appPrefix = kafka.uniqueName("dlq");
        kafka.createTopics(RentalEnvelopes.TOPIC, appPrefix + ".events", appPrefix + ".events.dlq");
        Path stateDir = Files.createTempDirectory("observers-dlq-state");
        byte[] bad = "{\"schema\":".getBytes(StandardCharsets.UTF_8);

        try (KafkaStreams first = start(appPrefix, stateDir)) {
            produce(RentalEnvelopes.key(90), bad);
            produce(
                    RentalEnvelopes.key(91),
                    RentalEnvelopes.create(
                            RentalEnvelopes.row(91, "1.00", "a", null), 9, null, 900));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> readAll(appPrefix + ".events").size() == 1);
            assertThat(first.state()).isEqualTo(KafkaStreams.State.RUNNING);
            first.close(Duration.ofSeconds(30));
        }

        try (KafkaStreams second = start(appPrefix, stateDir)) {
            produce(
                    RentalEnvelopes.key(92),
                    RentalEnvelopes.create(
                            RentalEnvelopes.row(92, "2.00", "b", null), 10, null, 950));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> readAll(appPrefix + ".events").size() == 2);
            second.close(Duration.ofSeconds(30));
        }

        List<ConsumerRecord<byte[], byte[]>> dead = readAll(appPrefix + ".events.dlq");
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).key()).isEqualTo(RentalEnvelopes.key(90));
        assertThat(dead.get(0).value()).isEqualTo(bad);
        assertThat(
                        new String(
                                dead.get(0).headers().lastHeader(DeadLetterHeaders.STAGE).value(),
                                StandardCharsets.UTF_8))
                .isEqualTo("read");
        assertThat(
                        new String(
                                dead.get(0)
                                        .headers()
                                        .lastHeader(DeadLetterHeaders.SOURCE_OFFSET)
                                        .value(),
                                StandardCharsets.UTF_8))
                .isEqualTo("0");
    }

    private KafkaStreams start(String appPrefix, Path stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, appPrefix + "-app");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        KafkaStreams streams =
                new KafkaStreams(
                        ObserversTopology.builder(
                                        List.of(
                                                CdcSource.of(
                                                        RentalEnvelopes.CONNECTOR,
                                                        RentalEnvelopes.TOPIC_PREFIX)))
                                .topicPrefix(appPrefix)
                                .build(),
                        config);
        streams.start();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }

    private void produce(byte[] key, byte[] value) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(RentalEnvelopes.TOPIC, key, value))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
