package dev.fraiseql.observers.ops.bench;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The physical limit of one hop on this machine: a plain Kafka consume-and-produce loop copies the
 * change records to another topic, with the clients' defaults ({@code acks=all}, idempotence on)
 * and an asynchronous offset commit per poll.
 *
 * <p>The rate is the number of records over the time between the first and the last copy's broker
 * append time, so that client start-up and group join are not counted; the topology is measured the
 * same way.
 */
final class PassthroughBenchmark {
    static final String OUTPUT = "passthrough.copies";
    private static final Logger log = LoggerFactory.getLogger(PassthroughBenchmark.class);
    private static final String GROUP = "bench-passthrough";

    private final BenchTopics topics;

    PassthroughBenchmark(BenchTopics topics) {
        this.topics = topics;
    }

    /** Copies the {@code records} records of {@code input} and returns records/s. */
    Figure run(String input, long records) {
        topics.createWithAppendTime(OUTPUT);
        long copied = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
                KafkaProducer<byte[], byte[]> producer = producer()) {
            consumer.subscribe(List.of(input));
            while (copied < records) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    producer.send(new ProducerRecord<>(OUTPUT, record.key(), record.value()));
                }
                copied += batch.count();
                if (!batch.isEmpty()) {
                    consumer.commitAsync();
                }
            }
            producer.flush();
            consumer.commitSync();
        }

        BenchTopics.Span span = topics.span(OUTPUT);
        log.info(
                "passthrough: {} records copied, {} on the output topic in {} ms",
                copied,
                span.count(),
                span.lastMs() - span.firstMs());
        if (span.count() != records) {
            throw new IllegalStateException(
                    "the passthrough loop wrote " + span.count() + " records, not " + records);
        }
        return new Figure("passthrough_records_per_s", span.perSecond(records), "records/s");
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, topics.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(
                properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, topics.bootstrapServers());
        return new KafkaProducer<>(
                properties, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
