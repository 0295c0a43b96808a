package dev.fraiseql.observers.connectors;

import io.debezium.engine.ChangeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one connector's change events to Kafka and returns only when the broker has acknowledged
 * all of them, so the engine may then commit their offsets.
 *
 * <p>Topics are created on first use with the broker's default partition count and replication
 * factor and a retention of seven days, because a production cluster (and the embedded one) usually
 * has auto-creation off. An existing topic is used as it is.
 */
final class KafkaSink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaSink.class);
    private static final Duration ACK_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** Change topics keep a week of changes unless the site changes it on the topic. */
    private static final String RETENTION_MS = Long.toString(Duration.ofDays(7).toMillis());

    private final String connector;
    private final KafkaProducer<String, String> producer;
    private final Admin admin;
    private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();

    KafkaSink(String connector, Map<String, Object> kafkaProperties) {
        this.connector = connector;
        Map<String, Object> producerProperties = new HashMap<>(kafkaProperties);
        producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProperties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producerProperties.put(ProducerConfig.CLIENT_ID_CONFIG, "observers-connector-" + connector);
        this.producer =
                new KafkaProducer<>(
                        producerProperties, new StringSerializer(), new StringSerializer());
        Map<String, Object> adminProperties = new HashMap<>(kafkaProperties);
        adminProperties.put("client.id", "observers-connector-admin-" + connector);
        this.admin = Admin.create(adminProperties);
    }

    /**
     * Sends the batch (key: the Debezium key, value: the envelope, null for a tombstone) and waits
     * for every acknowledgement.
     *
     * @throws IllegalStateException when a send is not acknowledged; the engine then stops without
     *     committing the batch, and the supervisor retries
     */
    void sendAndAwait(List<ChangeEvent<String, String>> events) throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (ChangeEvent<String, String> event : events) {
            ensureTopic(event.destination());
            acks.add(
                    producer.send(
                            new ProducerRecord<>(event.destination(), event.key(), event.value())));
        }
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException(
                        "Kafka did not acknowledge a change of connector " + connector + ": " + e,
                        e);
            }
        }
    }

    private void ensureTopic(String topic) throws InterruptedException {
        if (knownTopics.contains(topic)) {
            return;
        }
        try {
            NewTopic newTopic =
                    new NewTopic(topic, Optional.empty(), Optional.empty())
                            .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, RETENTION_MS));
            admin.createTopics(List.of(newTopic)).all().get(30, TimeUnit.SECONDS);
            log.info("[{}] created topic {}", connector, topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "could not create topic "
                                + topic
                                + " for connector "
                                + connector
                                + ": "
                                + e.getCause(),
                        e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "timed out creating topic " + topic + " for connector " + connector, e);
        }
        knownTopics.add(topic);
    }

    @Override
    public void close() {
        try {
            producer.close(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("[{}] the producer did not close cleanly: {}", connector, e.toString());
        }
        try {
            admin.close(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("[{}] the admin client did not close cleanly: {}", connector, e.toString());
        }
    }
}
