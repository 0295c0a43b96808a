package dev.fraiseql.observers.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every record of the topics that start with a prefix, from the beginning. Snapshot records
 * ({@code op = r}) are only counted, per topic, so that a large snapshot does not fill the heap;
 * every other record is kept in arrival order with its key and payload. Tests poll it from
 * Awaitility conditions.
 */
final class ChangeLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One record as a test sees it.
     *
     * @param topic where it was written
     * @param key the key's payload (the primary key columns)
     * @param keySchemaType the type of the key's schema ({@code struct} for a table key)
     * @param envelopeName the name of the value's schema, null for a tombstone
     * @param payload the value's payload, null for a tombstone
     */
    record Change(
            String topic,
            JsonNode key,
            String keySchemaType,
            String envelopeName,
            JsonNode payload) {
        String op() {
            return payload == null ? null : payload.path("op").asText();
        }

        JsonNode after() {
            return payload.path("after");
        }

        JsonNode before() {
            return payload.path("before");
        }
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Change> changes = new ArrayList<>();
    private final Map<String, Long> snapshotCounts = new TreeMap<>();
    private final Map<String, Long> recordCounts = new TreeMap<>();

    ChangeLog(String bootstrapServers, String topicPrefix) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "changelog-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500);
        consumer =
                new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(Pattern.compile(Pattern.quote(topicPrefix + ".") + ".*"));
    }

    /** Reads what has arrived since the last call and returns every non-snapshot change so far. */
    synchronized List<Change> poll() {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
            recordCounts.merge(record.topic(), 1L, Long::sum);
            JsonNode key = parse(record.key());
            JsonNode value = parse(record.value());
            JsonNode payload = value == null ? null : value.get("payload");
            if (payload != null && "r".equals(payload.path("op").asText())) {
                snapshotCounts.merge(record.topic(), 1L, Long::sum);
                continue;
            }
            changes.add(
                    new Change(
                            record.topic(),
                            key == null ? null : key.get("payload"),
                            key == null ? null : key.path("schema").path("type").asText(),
                            value == null ? null : value.path("schema").path("name").asText(),
                            payload));
        }
        // The subscription is a pattern: every new topic causes a rebalance, after which the
        // consumer resumes from its committed position, so commit what was read.
        consumer.commitSync();
        return List.copyOf(changes);
    }

    /** The non-snapshot changes of one topic so far. */
    List<Change> of(String topic) {
        return poll().stream().filter(c -> c.topic().equals(topic)).toList();
    }

    /** The number of snapshot records ({@code op = r}) per topic so far. */
    synchronized Map<String, Long> snapshotCounts() {
        poll();
        return Map.copyOf(snapshotCounts);
    }

    /** Every topic that received at least one record. */
    synchronized List<String> topics() {
        poll();
        return List.copyOf(recordCounts.keySet());
    }

    private static JsonNode parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
