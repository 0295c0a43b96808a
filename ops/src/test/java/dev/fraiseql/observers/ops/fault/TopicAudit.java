package dev.fraiseql.observers.ops.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads a product topic from its start to its end, committed records only, after a fault run. */
final class TopicAudit {
    private final String bootstrapServers;

    TopicAudit(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Every committed record value of the topic, mapped; an absent topic reads as empty.
     *
     * @param <V> the value type
     * @param <R> what each record is mapped to
     */
    <V, R> List<R> read(
            String topic, Deserializer<V> values, Function<ConsumerRecord<byte[], V>, R> map) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        List<R> mapped = new ArrayList<>();
        try (KafkaConsumer<byte[], V> consumer =
                new KafkaConsumer<>(properties, new ByteArrayDeserializer(), values)) {
            List<TopicPartition> partitions =
                    consumer
                            .listTopics(Duration.ofSeconds(30))
                            .getOrDefault(topic, List.of())
                            .stream()
                            .map(info -> new TopicPartition(topic, info.partition()))
                            .toList();
            if (partitions.isEmpty()) {
                return mapped;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(500))
                        .forEach(record -> mapped.add(map.apply(record)));
            }
        }
        return mapped;
    }
}
