package dev.fraiseql.observers.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fraiseql.observers.core.retry.RetryPolicy;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import dev.fraiseql.observers.testing.SampleJobs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** The Kafka publish action against the real broker: what a downstream consumer reads. */
class KafkaPublishExecutorIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaHarness kafka = Harnesses.kafka();

    private KafkaPublishExecutor executor() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", kafka.bootstrapServers());
        return new KafkaPublishExecutor(properties);
    }

    private static ActionSpec publishTo(String topic) {
        return new ActionSpec("kafka", Map.of("topic", topic), RetryPolicy.DEFAULT);
    }

    @Test
    void publishesTheJobDocumentKeyedByThePrimaryKeyWithTheJobIdHeader() throws Exception {
        String topic = kafka.uniqueName("rentals.returned");
        kafka.createTopics(topic);
        ActionOutcome first;
        ActionOutcome second;
        try (KafkaPublishExecutor executor = executor()) {
            first =
                    executor.execute(
                                    SampleJobs.rentalReturned("job_a", 42, "kafka"),
                                    publishTo(topic))
                            .toCompletableFuture()
                            .get(30, TimeUnit.SECONDS);
            second =
                    executor.execute(
                                    SampleJobs.rentalReturned("job_b", 43, "kafka"),
                                    publishTo(topic))
                            .toCompletableFuture()
                            .get(30, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<byte[], byte[]>> records = read(topic, 2);
        assertThat(first.kind()).isEqualTo(ActionOutcome.Kind.SUCCESS);
        assertThat(second.kind()).isEqualTo(ActionOutcome.Kind.SUCCESS);
        assertThat(records).hasSize(2);
        ConsumerRecord<byte[], byte[]> record = records.get(0);
        assertThat(new String(record.key(), StandardCharsets.UTF_8))
                .isEqualTo("{\"rental_id\":42}");
        assertThat(
                        new String(
                                record.headers().lastHeader("job-id").value(),
                                StandardCharsets.UTF_8))
                .isEqualTo("job_a");
        JsonNode document = JSON.readTree(record.value());
        assertThat(document.get("job_id").asText()).isEqualTo("job_a");
        assertThat(document.get("observer").asText()).isEqualTo("rental-returned");
        assertThat(document.at("/event/entity").asText()).isEqualTo("public.rental");
        assertThat(document.at("/event/op").asText()).isEqualTo("update");
        assertThat(document.at("/event/after/amount").decimalValue()).isEqualByComparingTo("4.99");
        assertThat(new String(records.get(1).key(), StandardCharsets.UTF_8))
                .isEqualTo("{\"rental_id\":43}");
    }

    @Test
    void aMissingTopicOptionIsAPermanentFailureNamingTheOption() throws Exception {
        try (KafkaPublishExecutor executor = executor()) {
            ActionOutcome outcome =
                    executor.execute(
                                    SampleJobs.rentalReturned("job_c", 44, "kafka"),
                                    new ActionSpec("kafka", Map.of(), RetryPolicy.DEFAULT))
                            .toCompletableFuture()
                            .get(30, TimeUnit.SECONDS);

            assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.PERMANENT);
            assertThat(outcome.describe()).contains("topic");
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> read(String topic, int count) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.uniqueName("reader"));
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
