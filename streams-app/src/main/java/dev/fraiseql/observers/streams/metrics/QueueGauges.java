package dev.fraiseql.observers.streams.metrics;

import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import dev.fraiseql.observers.core.config.app.GroupNames;
import dev.fraiseql.observers.core.config.app.TopicNames;
import dev.fraiseql.observers.core.metrics.ObserverMetric;
import dev.fraiseql.observers.core.metrics.ObserverMetrics;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue gauges the dashboard and the alerts read, refreshed periodically from the broker:
 *
 * <ul>
 *   <li>{@code fraiseql_observer_backlog_size}: change records the topology has not processed yet
 *       (its group's lag on its source topics, internal repartition topics left out);
 *   <li>{@code fraiseql_observer_job_queue_depth}: jobs the worker has not taken yet (its group's
 *       lag on {@code <prefix>.jobs} and every {@code <prefix>.jobs.retry.*} topic);
 *   <li>{@code fraiseql_observer_dlq_items}: records in {@code <prefix>.events.dlq};
 *   <li>{@code fraiseql_observer_job_dlq_items}: jobs in {@code <prefix>.jobs.dlq} that {@code
 *       observers replay dlq} has not moved yet (at or after its group's committed offsets).
 * </ul>
 *
 * <p>Lags come from end offsets (last stable offsets) and committed offsets, as Kafka's own lag
 * tools compute them. The DLQ counts are exact instead: a transactional writer leaves a commit
 * marker after its records, so end minus start would count markers as records. A read-committed
 * consumer counts the DLQ records themselves, reading only what arrived since the last refresh. It
 * keeps one {@code long} offset per DLQ record in memory, which bounds how large a DLQ this suits
 * (millions of records, not billions).
 */
public final class QueueGauges implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueGauges.class);

    /**
     * The consumer groups whose committed offsets the gauges read.
     *
     * @param topology the topology's group (its Streams application id)
     * @param worker the job worker's group
     * @param dlqReplay the group of {@code observers replay dlq}
     */
    public record Groups(String topology, String worker, String dlqReplay) {
        public Groups {
            Objects.requireNonNull(topology, "topology");
            Objects.requireNonNull(worker, "worker");
            Objects.requireNonNull(dlqReplay, "dlqReplay");
        }

        /** The groups the product's parts and {@code observers replay dlq} really use. */
        public static Groups of(GroupNames names) {
            return new Groups(names.topology(), names.worker(), names.dlqReplay());
        }
    }

    private final TopicNames topics;
    private final Groups groups;
    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> dlqReader;
    private final Duration timeout;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong queueDepth = new AtomicLong();
    private final AtomicLong dlqItems = new AtomicLong();
    private final AtomicLong jobDlqItems = new AtomicLong();
    private final Map<TopicPartition, Offsets> dlqRecords = new HashMap<>();
    private ScheduledExecutorService scheduler;

    /** Gauges registered in {@code metrics}, reading the broker of {@code config}. */
    public QueueGauges(
            ApplicationConfig config, ObserverMetrics metrics, Groups groups, Duration timeout) {
        this.topics = config.topicNames();
        this.groups = Objects.requireNonNull(groups, "groups");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.admin = Admin.create(config.kafkaProperties());
        this.dlqReader = new KafkaConsumer<>(readerProperties(config));
        metrics.gauge(ObserverMetric.BACKLOG_SIZE, backlog::get);
        metrics.gauge(ObserverMetric.JOB_QUEUE_DEPTH, queueDepth::get);
        metrics.gauge(ObserverMetric.DLQ_ITEMS, dlqItems::get);
        metrics.gauge(ObserverMetric.JOB_DLQ_ITEMS, jobDlqItems::get);
    }

    /** Refreshes every {@code interval} on a daemon thread until {@link #close()}. */
    public synchronized void start(Duration interval) {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, topics.prefix() + "-queue-gauges");
                            thread.setDaemon(true);
                            return thread;
                        });
        scheduler.scheduleWithFixedDelay(
                this::refreshQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Reads the broker once and updates the gauges.
     *
     * @throws IllegalStateException when the broker does not answer within the timeout
     */
    public synchronized void refresh() {
        Set<String> existing = existingTopics();

        backlog.set(lag(groups.topology(), tp -> !tp.topic().endsWith("-repartition"), existing));
        String retryPrefix = topics.prefix() + ".jobs.retry.";
        Set<String> jobTopics =
                existing.stream()
                        .filter(t -> t.equals(topics.jobs()) || t.startsWith(retryPrefix))
                        .collect(Collectors.toSet());
        queueDepth.set(lagOnTopics(groups.worker(), jobTopics));

        readNewDeadLetters(existing);
        dlqItems.set(countFrom(topics.eventsDlq(), Map.of()));
        jobDlqItems.set(countFrom(topics.jobsDlq(), committed(groups.dlqReplay())));
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn(
                    "queue gauges of {}: refresh failed, the gauges keep their last values and"
                            + " the next refresh tries again: {}",
                    topics.prefix(),
                    e.toString());
        }
    }

    /** Lag of a group over the partitions it has committed that pass the filter. */
    private long lag(
            String group,
            java.util.function.Predicate<TopicPartition> include,
            Set<String> existing) {
        Map<TopicPartition, Long> committed =
                committed(group).entrySet().stream()
                        .filter(e -> include.test(e.getKey()))
                        .filter(e -> existing.contains(e.getKey().topic()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        Map<TopicPartition, Long> end = endOffsets(committed.keySet());
        long total = 0;
        for (Map.Entry<TopicPartition, Long> entry : committed.entrySet()) {
            total += Math.max(0, end.getOrDefault(entry.getKey(), 0L) - entry.getValue());
        }
        return total;
    }

    /**
     * Lag of a group over every partition of the topics; uncommitted ones count from their start.
     */
    private long lagOnTopics(String group, Set<String> names) {
        if (names.isEmpty()) {
            return 0;
        }
        Set<TopicPartition> partitions = partitionsOf(names);
        Map<TopicPartition, Long> committed = committed(group);
        Map<TopicPartition, Long> end = endOffsets(partitions);
        Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
        long total = 0;
        for (TopicPartition tp : partitions) {
            long from = committed.getOrDefault(tp, start.getOrDefault(tp, 0L));
            total += Math.max(0, end.getOrDefault(tp, 0L) - from);
        }
        return total;
    }

    private void readNewDeadLetters(Set<String> existing) {
        List<String> dlqs =
                List.of(topics.eventsDlq(), topics.jobsDlq()).stream()
                        .filter(existing::contains)
                        .toList();
        if (dlqs.isEmpty()) {
            return;
        }
        Set<TopicPartition> partitions = partitionsOf(Set.copyOf(dlqs));
        if (!dlqReader.assignment().equals(partitions)) {
            dlqReader.assign(partitions);
            for (TopicPartition tp : partitions) {
                Offsets seen = dlqRecords.computeIfAbsent(tp, p -> new Offsets());
                if (seen.size == 0) {
                    dlqReader.seekToBeginning(List.of(tp));
                } else {
                    dlqReader.seek(tp, seen.last() + 1);
                }
            }
        }
        Map<TopicPartition, Long> end = endOffsets(partitions);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(tp -> dlqReader.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read the DLQs within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> record : dlqReader.poll(Duration.ofMillis(100))) {
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                dlqRecords.computeIfAbsent(tp, p -> new Offsets()).add(record.offset());
            }
        }
    }

    /** DLQ records at or after {@code from} (per partition) and not yet removed by retention. */
    private long countFrom(String topic, Map<TopicPartition, Long> from) {
        Set<TopicPartition> partitions =
                dlqRecords.keySet().stream()
                        .filter(tp -> tp.topic().equals(topic))
                        .collect(Collectors.toSet());
        if (partitions.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
        long total = 0;
        for (TopicPartition tp : partitions) {
            long floor = Math.max(start.getOrDefault(tp, 0L), from.getOrDefault(tp, 0L));
            total += dlqRecords.get(tp).countAtOrAfter(floor);
        }
        return total;
    }

    private Set<String> existingTopics() {
        return get(admin.listTopics().names());
    }

    private Set<TopicPartition> partitionsOf(Set<String> names) {
        return get(admin.describeTopics(names).allTopicNames()).values().stream()
                .flatMap(
                        d ->
                                d.partitions().stream()
                                        .map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toSet());
    }

    private Map<TopicPartition, Long> committed(String group) {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach(
                (tp, offset) -> {
                    if (offset != null) {
                        committed.put(tp, offset.offset());
                    }
                });
        return committed;
    }

    private Map<TopicPartition, Long> endOffsets(Set<TopicPartition> partitions) {
        return offsets(partitions, OffsetSpec.latest());
    }

    private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec) {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
                get(
                        admin.listOffsets(
                                        request,
                                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                                .all());
        Map<TopicPartition, Long> offsets = new HashMap<>();
        result.forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    private <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading queue sizes", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read queue sizes: " + e, e);
        }
    }

    private static Properties readerProperties(ApplicationConfig config) {
        Properties properties = config.kafkaProperties();
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return properties;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        try {
            dlqReader.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn(
                    "queue gauges of {}: closing the DLQ reader failed: {}",
                    topics.prefix(),
                    e.toString());
        }
        try {
            admin.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn(
                    "queue gauges of {}: closing the admin client failed: {}",
                    topics.prefix(),
                    e.toString());
        }
    }

    /** The offsets of one DLQ partition's records, ascending. */
    private static final class Offsets {
        private long[] values = new long[16];
        private int size;

        void add(long offset) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = offset;
        }

        long last() {
            return values[size - 1];
        }

        long countAtOrAfter(long floor) {
            int index = Arrays.binarySearch(values, 0, size, floor);
            int first = index >= 0 ? index : -index - 1;
            return size - first;
        }
    }
}
