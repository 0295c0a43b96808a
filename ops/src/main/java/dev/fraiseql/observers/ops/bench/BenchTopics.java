package dev.fraiseql.observers.ops.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Topic chores of the benchmarks: create, fill, read back, wait for a consumer group. */
final class BenchTopics {
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;

    BenchTopics(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates a one-partition topic whose records carry the broker's append time, so that the first
     * and last record of an output topic tell when the work started and ended.
     */
    void createWithAppendTime(String topic) {
        create(topic, Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
    }

    /** Creates a one-partition topic with the given settings. */
    void create(String topic, Map<String, String> configs) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(configs)))
                    .all()
                    .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topic " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        }
    }

    /** Writes {@code count} records, waiting for every acknowledgement. */
    void fill(String topic, int count, IntFunction<byte[]> key, IntFunction<byte[]> value) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, key.apply(i), value.apply(i)));
            }
            producer.flush();
        }
    }

    /**
     * Writes {@code count} records at {@code perSecond} records/s: a small batch every 100 ms, each
     * sent at once.
     */
    void pace(
            String topic,
            int count,
            int perSecond,
            IntFunction<byte[]> key,
            IntFunction<byte[]> value)
            throws InterruptedException {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        int perTick = Math.max(1, perSecond / 10);
        long startNanos = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0, tick = 0; i < count; tick++) {
                for (int j = 0; j < perTick && i < count; j++, i++) {
                    producer.send(new ProducerRecord<>(topic, key.apply(i), value.apply(i)));
                }
                producer.flush();
                long nextNanos = startNanos + (tick + 1) * 100_000_000L;
                TimeUnit.NANOSECONDS.sleep(Math.max(0, nextNanos - System.nanoTime()));
            }
        }
    }

    /**
     * Reads a one-partition topic to its end (committed records only) and returns how many records
     * it holds and the first and last record timestamps.
     */
    Span span(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("read_committed")) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long count = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    count++;
                    first = Math.min(first, record.timestamp());
                    last = Math.max(last, record.timestamp());
                }
            }
            return new Span(count, first, last);
        }
    }

    /**
     * Waits until the group has committed the end offset of a one-partition topic, that is until it
     * has processed every record of it.
     *
     * @throws IllegalStateException when it has not within the timeout
     */
    void awaitCaughtUp(String group, String topic, Duration timeout) throws InterruptedException {
        TopicPartition partition = new TopicPartition(topic, 0);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin();
                KafkaConsumer<byte[], byte[]> consumer = consumer("read_uncommitted")) {
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group)
                                .partitionsToOffsetAndMetadata()
                                .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                OffsetAndMetadata offset = committed.get(partition);
                if (offset != null && offset.offset() >= end) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "group "
                                    + group
                                    + " did not process "
                                    + topic
                                    + " within "
                                    + timeout
                                    + " (committed "
                                    + (offset == null ? "nothing" : offset.offset())
                                    + " of "
                                    + end
                                    + "); see the log");
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the offsets of " + group + ": " + e, e);
        }
    }

    KafkaConsumer<byte[], byte[]> consumer(String isolation) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(
                properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private Admin admin() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(properties);
    }

    /**
     * What an output topic holds.
     *
     * @param count records
     * @param firstMs timestamp of the earliest record
     * @param lastMs timestamp of the latest record
     */
    record Span(long count, long firstMs, long lastMs) {
        /** Records per second of {@code work} units done between the first and the last record. */
        double perSecond(long work) {
            long ms = Math.max(1, lastMs - firstMs);
            return work * 1000.0 / ms;
        }
    }
}
