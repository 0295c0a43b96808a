package dev.fraiseql.observers.ops.cli.replay;

import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import dev.fraiseql.observers.core.observer.ObserverSet;
import dev.fraiseql.observers.ops.cli.support.Progress;
import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.JobOutcome;
import dev.fraiseql.observers.schemas.JobStatus;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Re-evaluates observers over a time window of {@code <prefix>.events} and queues the jobs they
 * select on {@code <prefix>.jobs}. The observers are the ones in the config folder now, so a fixed
 * rule can be applied to past events.
 *
 * <p>Job ids are deterministic (event id, observer, action index), so a replayed job has the id the
 * first run would have had: the worker and the receivers recognise repeats. A job that {@code
 * <prefix>.jobs.outcomes} already records as {@code DELIVERED} is not queued again, and is counted.
 *
 * <p>The window is on the event records' timestamps, found per partition with {@code
 * offsetsForTimes}; records whose timestamps are out of order past the window's end are read up to
 * the first offset at or after {@code to} and filtered one by one.
 */
public final class EventReplayer {
    private static final Duration POLL = Duration.ofMillis(200);

    private final ApplicationConfig config;
    private final Duration timeout;
    private final Clock clock;

    /** A replayer over the topics of this config. */
    public EventReplayer(ApplicationConfig config, Duration timeout, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Which events and observers to replay.
     *
     * @param from the window's start (inclusive)
     * @param to the window's end (exclusive), or null for up to now
     * @param entity only events of this entity ({@code schema.table}), or null
     * @param observer only jobs of this observer, or null
     */
    public record Window(Instant from, Instant to, String entity, String observer) {
        public Window {
            Objects.requireNonNull(from, "from");
            if (to != null && !to.isAfter(from)) {
                throw new IllegalArgumentException(
                        "--to (" + to + ") must be after --from (" + from + ")");
            }
        }

        boolean contains(long timestampMs) {
            return timestampMs >= from.toEpochMilli()
                    && (to == null || timestampMs < to.toEpochMilli());
        }
    }

    /**
     * The jobs of one observer in a replay.
     *
     * @param selected jobs the observer selected (queued, or to be queued in a dry run)
     * @param alreadyDelivered jobs skipped because their outcome is already DELIVERED
     */
    public record ObserverCount(long selected, long alreadyDelivered) {}

    /**
     * What a replay did (or would do).
     *
     * @param events events read in the window (after the entity filter)
     * @param perObserver counts by observer name, sorted by name
     */
    public record Report(long events, Map<String, ObserverCount> perObserver) {
        public Report {
            perObserver = java.util.Collections.unmodifiableMap(new TreeMap<>(perObserver));
        }

        /** Jobs selected over all observers. */
        public long selected() {
            return perObserver.values().stream().mapToLong(ObserverCount::selected).sum();
        }

        /** Jobs skipped as already delivered over all observers. */
        public long alreadyDelivered() {
            return perObserver.values().stream().mapToLong(ObserverCount::alreadyDelivered).sum();
        }
    }

    /** Replays the window; with {@code dryRun} only counts what would be queued. */
    public Report replay(
            ObserverSet observers, Window window, boolean dryRun, LongFunction<Progress> progress) {
        Set<String> delivered = deliveredJobIds();
        Map<String, long[]> counts = new HashMap<>();
        long events = 0;
        String eventsTopic = config.topicNames().events();
        String jobsTopic = config.topicNames().jobs();

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties());
                Deserializer<ChangeEvent> eventReader =
                        ObserverSerdes.changeEvent().deserializer();
                Serializer<Job> jobWriter = ObserverSerdes.job().serializer();
                KafkaProducer<byte[], byte[]> producer =
                        dryRun ? null : new KafkaProducer<>(producerProperties())) {
            List<TopicPartition> partitions = partitions(consumer, eventsTopic);
            Map<TopicPartition, Long> start = offsetsAt(consumer, partitions, window.from());
            Map<TopicPartition, Long> stop =
                    window.to() == null
                            ? consumer.endOffsets(partitions, timeout)
                            : offsetsAt(consumer, partitions, window.to());
            consumer.assign(partitions);
            long total = 0;
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, start.get(tp));
                total += Math.max(0, stop.get(tp) - start.get(tp));
            }
            Progress shown = progress.apply(total);

            long lastProgressNs = System.nanoTime();
            while (!reached(consumer, stop)) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (records.isEmpty()) {
                    if (System.nanoTime() - lastProgressNs > timeout.toNanos()) {
                        throw new IllegalStateException(
                                "no progress reading " + eventsTopic + " within " + timeout);
                    }
                    continue;
                }
                lastProgressNs = System.nanoTime();
                long read = 0;
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= stop.get(tp) || !window.contains(record.timestamp())) {
                        continue;
                    }
                    read++;
                    ChangeEvent event = eventReader.deserialize(eventsTopic, record.value());
                    if (event == null
                            || (window.entity() != null
                                    && !window.entity().equals(event.getEntity()))) {
                        continue;
                    }
                    events++;
                    for (Job job : observers.jobsFor(event, clock.millis())) {
                        if (window.observer() != null
                                && !window.observer().equals(job.getObserver())) {
                            continue;
                        }
                        long[] count = counts.computeIfAbsent(job.getObserver(), o -> new long[2]);
                        if (delivered.contains(job.getJobId())) {
                            count[1]++;
                            continue;
                        }
                        count[0]++;
                        if (producer != null) {
                            producer.send(
                                    new ProducerRecord<>(
                                            jobsTopic,
                                            record.key(),
                                            jobWriter.serialize(jobsTopic, job)));
                        }
                    }
                }
                shown.advance(read);
            }
            if (producer != null) {
                producer.flush();
            }
            shown.finish();
        }
        Map<String, ObserverCount> perObserver = new HashMap<>();
        counts.forEach((name, c) -> perObserver.put(name, new ObserverCount(c[0], c[1])));
        return new Report(events, perObserver);
    }

    /** The ids of the jobs whose last outcome is DELIVERED (the outcomes topic is compacted). */
    private Set<String> deliveredJobIds() {
        String topic = config.topicNames().jobsOutcomes();
        Map<String, JobStatus> last = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties());
                Deserializer<JobOutcome> outcomes = ObserverSerdes.jobOutcome().deserializer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> stop = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, stop)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.value() == null) {
                        continue;
                    }
                    JobOutcome outcome = outcomes.deserialize(topic, record.value());
                    last.put(outcome.getJobId(), outcome.getStatus());
                }
            }
        }
        Set<String> delivered = new HashSet<>();
        last.forEach(
                (jobId, status) -> {
                    if (status == JobStatus.DELIVERED) {
                        delivered.add(jobId);
                    }
                });
        return delivered;
    }

    private Map<TopicPartition, Long> offsetsAt(
            KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Instant at) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, at.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, timeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp offset = found.get(tp);
            // No record at or after the time: the partition's window starts (or ends) at its end.
            offsets.put(tp, offset == null ? end.get(tp) : offset.offset());
        }
        return offsets;
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic, timeout).stream()
                        .map(info -> new TopicPartition(topic, info.partition()))
                        .toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException(
                    "topic " + topic + " does not exist; run 'observers topics apply'");
        }
        return partitions;
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

    private Properties consumerProperties() {
        Properties properties = config.kafkaProperties();
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return properties;
    }

    private Properties producerProperties() {
        Properties properties = config.kafkaProperties();
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return properties;
    }
}
