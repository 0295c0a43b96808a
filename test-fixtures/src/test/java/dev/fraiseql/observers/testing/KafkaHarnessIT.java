package dev.fraiseql.observers.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaHarnessIT {

    @Test
    void recordsProducedWithAcksAllAreConsumedInOrderWithTheirKeys() throws Exception {
        KafkaHarness kafka = Harnesses.kafka();
        String topic = kafka.uniqueName("harness-roundtrip");
        kafka.createTopics(topic);

        Map<String, Object> producerConfig =
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true);
        try (var producer =
                new KafkaProducer<>(
                        producerConfig, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)).get();
            }
        }

        Map<String, Object> consumerConfig =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, kafka.uniqueName("harness-group"),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (var consumer =
                new KafkaConsumer<>(
                        consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < 100 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }

        assertThat(received).hasSize(100);
        assertThat(received.get(0).key()).isEqualTo("key-0");
        assertThat(received.get(0).value()).isEqualTo("value-0");
        assertThat(received.get(99).key()).isEqualTo("key-99");
        assertThat(received.get(99).value()).isEqualTo("value-99");
        assertThat(received)
                .extracting(ConsumerRecord::offset)
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.range(0, 100).boxed().toList());
    }

    @Test
    void theHarnessIsStartedOncePerJvm() {
        assertThat(Harnesses.kafka()).isSameAs(Harnesses.kafka());
    }
}
