package dev.fraiseql.observers.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.junit.jupiter.api.Test;

/**
 * Records that are not good Debezium changes, written straight into a change topic of a real
 * broker: each one is dead-lettered with its reason (or, for heartbeats and logical decoding
 * messages, skipped and counted), the good records around them become events, and the stream thread
 * neither dies nor restarts.
 */
class BadChangeRecordsIT {
    private static final int OVER_ONE_MIB = 1_200_000;

    private final KafkaHarness kafka = Harnesses.kafka();

    @Test
    void everyKindOfBadRecordIsDeadLetteredWithItsReasonAndGoodRecordsStillFlow() throws Exception {
        String sourcePrefix = kafka.uniqueName("badsrc");
        String appPrefix = kafka.uniqueName("bad");
        String changes = sourcePrefix + ".public.rental";
        String messages = sourcePrefix + ".message";
        createTopics(changes, messages, appPrefix + ".events", appPrefix + ".events.dlq");

        byte[] truncated = "{\"schema\":{\"type\":\"str".getBytes(StandardCharsets.UTF_8);
        byte[] notDebezium = "{\"id\":7,\"status\":\"shipped\"}".getBytes(StandardCharsets.UTF_8);
        byte[] unknownOp =
                fromSource(
                        sourcePrefix,
                        RentalEnvelopes.change(
                                "x", null, RentalEnvelopes.row(6, "1.00", "x", null), 6, null, 60));
        byte[] huge =
                fromSource(
                        sourcePrefix,
                        RentalEnvelopes.create(
                                RentalEnvelopes.row(4, "4.00", "n".repeat(OVER_ONE_MIB), null),
                                4,
                                null,
                                40));

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        List<KafkaStreams.State> states = new CopyOnWriteArrayList<>();
        Path stateDir = Files.createTempDirectory("observers-bad-input-state");
        try (KafkaStreams streams =
                start(sourcePrefix, appPrefix, stateDir, registry, uncaught, states)) {
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                send(producer, changes, RentalEnvelopes.key(1), truncated);
                send(producer, changes, RentalEnvelopes.key(2), notDebezium);
                send(producer, changes, RentalEnvelopes.key(4), huge);
                send(producer, changes, null, truncated);
                send(producer, changes, RentalEnvelopes.key(6), unknownOp);
                send(
                        producer,
                        changes,
                        fixture("postgres-heartbeat.key.json"),
                        fixture("postgres-heartbeat.value.json"));
                send(producer, messages, null, fixture("postgres-logical-message.value.json"));
                send(
                        producer,
                        changes,
                        RentalEnvelopes.key(8),
                        fromSource(
                                sourcePrefix,
                                RentalEnvelopes.create(
                                        RentalEnvelopes.row(8, "8.00", "good", null),
                                        8,
                                        null,
                                        80)));
            }

            await().atMost(Duration.ofSeconds(90))
                    .until(() -> readAll(appPrefix + ".events").size() >= 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> skipped(registry) == 2.0);
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }

        List<ConsumerRecord<byte[], byte[]>> events = readAll(appPrefix + ".events");
        assertThat(events)
                .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .singleElement()
                .asString()
                .contains("8");

        List<ConsumerRecord<byte[], byte[]>> dead = readAll(appPrefix + ".events.dlq");
        assertThat(dead)
                .extracting(r -> header(r, DeadLetterHeaders.SOURCE_OFFSET))
                .containsExactly("0", "1", "2", "3", "4");
        assertThat(dead)
                .extracting(r -> header(r, DeadLetterHeaders.STAGE))
                .containsExactly("read", "normalize", "size", "read", "normalize");
        assertThat(header(dead.get(1), DeadLetterHeaders.ERROR_MESSAGE))
                .contains("not Debezium JSON with schemas");
        assertThat(header(dead.get(2), DeadLetterHeaders.ERROR_MESSAGE))
                .contains(Integer.toString(huge.length));
        assertThat(header(dead.get(4), DeadLetterHeaders.ERROR_MESSAGE)).contains("payload.op 'x'");
        assertThat(dead.get(0).value()).isEqualTo(truncated);
        assertThat(dead.get(1).value()).isEqualTo(notDebezium);
        assertThat(dead.get(2).value()).hasSize(ChangeProcessor.KEPT_HEAD_BYTES);
        assertThat(header(dead.get(2), DeadLetterHeaders.ORIGINAL_SIZE))
                .isEqualTo(Integer.toString(huge.length));
        assertThat(dead.get(3).key()).isNull();
        assertThat(dead.get(4).value()).isEqualTo(unknownOp);

        assertThat(uncaught).isEmpty();
        assertThat(states)
                .doesNotContain(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR);
    }

    /** Rewrites the envelope's {@code source.name} to this test's own connector prefix. */
    private static byte[] fromSource(String prefix, byte[] envelope) {
        String text = new String(envelope, StandardCharsets.UTF_8);
        return text.replace(
                        "\"name\":\"" + RentalEnvelopes.TOPIC_PREFIX + "\"",
                        "\"name\":\"" + prefix + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static double skipped(SimpleMeterRegistry registry) {
        var counter = registry.find("fraiseql.observer.events.skipped").counter();
        return counter == null ? 0.0 : counter.count();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = BadChangeRecordsIT.class.getResourceAsStream("/debezium/" + name)) {
            return in.readAllBytes();
        }
    }

    /** Topics that accept records up to 4 MiB, so the oversized record reaches the application. */
    private void createTopics(String... names) throws Exception {
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            admin.createTopics(
                            List.of(names).stream()
                                    .map(
                                            name ->
                                                    new NewTopic(name, 1, (short) 1)
                                                            .configs(
                                                                    Map.of(
                                                                            TopicConfig
                                                                                    .MAX_MESSAGE_BYTES_CONFIG,
                                                                            "4194304")))
                                    .toList())
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private KafkaStreams start(
            String sourcePrefix,
            String appPrefix,
            Path stateDir,
            SimpleMeterRegistry registry,
            List<Throwable> uncaught,
            List<KafkaStreams.State> states) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, appPrefix + "-app");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.METADATA_MAX_AGE_CONFIG, 1000);
        config.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        KafkaStreams streams =
                new KafkaStreams(
                        ObserversTopology.builder(List.of(CdcSource.of("bad-db", sourcePrefix)))
                                .topicPrefix(appPrefix)
                                .meterRegistry(registry)
                                .build(),
                        config);
        streams.setStateListener((now, before) -> states.add(now));
        streams.setUncaughtExceptionHandler(
                error -> {
                    uncaught.add(error);
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                            .REPLACE_THREAD;
                });
        streams.start();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4_194_304);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer, String topic, byte[] key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8_388_608);
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
