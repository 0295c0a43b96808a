package dev.fraiseql.observers.ops.cli.dlq;

import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import dev.fraiseql.observers.ops.cli.replay.DlqReplayer;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the dead letters that are still waiting: the records of {@code <prefix>.jobs.dlq} from the
 * replay group's committed offsets (what {@code replay dlq} already moved is behind them) to the
 * end as it was when reading started. Reads only: it joins no group and commits nothing.
 */
public final class DeadLetterReader {
    private static final Duration POLL = Duration.ofMillis(200);

    private final ApplicationConfig config;
    private final Duration timeout;

    /** A reader of the DLQ named by this config, giving up after {@code timeout}. */
    public DeadLetterReader(ApplicationConfig config, Duration timeout) {
        this.config = config;
        this.timeout = timeout;
    }

    /** Every waiting dead letter, in partition then offset order. */
    public List<DeadLetter> readAll() {
        List<DeadLetter> letters = new ArrayList<>();
        read(letters::add);
        letters.sort(
                java.util.Comparator.comparingInt(DeadLetter::partition)
                        .thenComparingLong(DeadLetter::offset));
        return letters;
    }

    /** Passes every waiting dead letter to {@code sink}. */
    public void read(Consumer<DeadLetter> sink) {
        String topic = config.topicNames().jobsDlq();
        try (Deserializer<Job> jobs = ObserverSerdes.job().deserializer();
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, timeout).stream()
                            .map(info -> new TopicPartition(topic, info.partition()))
                            .toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException(
                        "topic " + topic + " does not exist; run 'observers topics apply'");
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> stop = consumer.endOffsets(partitions, timeout);
            seekToCommitted(consumer, Set.copyOf(partitions));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, stop)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < stop.get(tp)) {
                        sink.accept(toDeadLetter(record, jobs.deserialize(topic, record.value())));
                    }
                }
            }
        }
    }

    /** A dead letter from a raw record and its decoded job. */
    public static DeadLetter toDeadLetter(ConsumerRecord<byte[], byte[]> record, Job job) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            String value =
                    header.value() == null
                            ? ""
                            : new String(header.value(), StandardCharsets.UTF_8);
            headers.add(new AbstractMap.SimpleImmutableEntry<>(header.key(), value));
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        return new DeadLetter(
                record.partition(),
                record.offset(),
                Instant.ofEpochMilli(record.timestamp()),
                key,
                job,
                headers);
    }

    private void seekToCommitted(
            KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions, timeout);
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, timeout);
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = committed.get(tp);
            consumer.seek(tp, offset == null ? beginning.get(tp) : offset.offset());
        }
    }

    private static boolean reached(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> stop) {
        for (Map.Entry<TopicPartition, Long> entry : stop.entrySet()) {
            if (consumer.position(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }

    private Properties properties() {
        Properties properties = config.kafkaProperties();
        // The replay group's id only to read its committed offsets: assign() never joins the group.
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, DlqReplayer.groupId(config.prefix()));
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return properties;
    }

    /** Dead letters per value of a grouping, in first-seen order. */
    public static Map<String, Long> countBy(
            List<DeadLetter> letters, java.util.function.Function<DeadLetter, String> by) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (DeadLetter letter : letters) {
            counts.merge(by.apply(letter), 1L, Long::sum);
        }
        return counts;
    }
}
