package dev.fraiseql.observers.ops.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the records on the topics the demo reports on, read from the beginning with {@code
 * read_committed} (the topology and the worker write in transactions; an aborted record is not
 * counted). Tombstones (null values) are not counted: Debezium writes one after each delete, and it
 * is not a change. New topics that match are picked up on the next {@link #refresh()}.
 *
 * <p>Not thread-safe: one thread refreshes and reads.
 */
final class TopicCounts implements AutoCloseable {
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

    private final Predicate<String> wanted;
    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private final Map<String, Long> counts = new TreeMap<>();

    TopicCounts(String bootstrapServers, Predicate<String> wanted) {
        this.wanted = wanted;
        Properties adminProperties = new Properties();
        adminProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(adminProperties);
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer =
                new KafkaConsumer<>(
                        properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Assigns the partitions of new matching topics, then reads what has arrived. */
    void refresh() {
        assignNewTopics();
        if (assigned.isEmpty()) {
            return;
        }
        while (true) {
            var records = consumer.poll(Duration.ofMillis(100));
            if (records.isEmpty()) {
                return;
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (record.value() != null) {
                    counts.merge(record.topic(), 1L, Long::sum);
                }
            }
        }
    }

    /** Records counted on one topic. */
    long count(String topic) {
        return counts.getOrDefault(topic, 0L);
    }

    /** Records counted on every topic that matches. */
    long count(Predicate<String> topics) {
        return counts.entrySet().stream()
                .filter(entry -> topics.test(entry.getKey()))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** Every count, by topic name. */
    Map<String, Long> counts() {
        return Map.copyOf(counts);
    }

    private void assignNewTopics() {
        Set<String> topics;
        try {
            topics =
                    admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException e) {
            // The broker answers on the next refresh; the counts only lag behind meanwhile.
            return;
        }
        List<TopicPartition> added = new ArrayList<>();
        for (String topic : topics) {
            if (!wanted.test(topic)) {
                continue;
            }
            consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .filter(partition -> !assigned.contains(partition))
                    .forEach(added::add);
        }
        if (added.isEmpty()) {
            return;
        }
        assigned.addAll(added);
        consumer.assign(assigned);
        consumer.seekToBeginning(added);
    }

    @Override
    public void close() {
        try {
            consumer.close(Duration.ofSeconds(5));
        } finally {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
