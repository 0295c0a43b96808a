package dev.fraiseql.observers.ops.cli.replay;

import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import dev.fraiseql.observers.core.config.app.GroupNames;
import dev.fraiseql.observers.ops.cli.dlq.DeadLetter;
import dev.fraiseql.observers.ops.cli.dlq.DeadLetterReader;
import dev.fraiseql.observers.ops.cli.support.Progress;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves dead-lettered jobs from {@code <prefix>.jobs.dlq} back to {@code <prefix>.jobs}, exactly
 * once per DLQ record, even when several runs overlap.
 *
 * <p>How: the DLQ is read by one consumer group ({@link #groupId}); each batch is written by a
 * transactional producer that also commits the group's offsets for that batch in the same
 * transaction ({@code sendOffsetsToTransaction} with the consumer's group metadata). A record
 * counts as replayed only when that transaction commits. Two runs at the same time share the DLQ
 * partitions through the group; a run whose partitions were taken by a rebalance fails its commit
 * (its generation is stale), aborts, and its records are never seen by {@code read_committed}
 * readers, so the other run moves them once.
 *
 * <p>A replayed job keeps its job id (the idempotency key receivers see as {@code webhook-id}),
 * starts again at attempt 1, and has its {@code replayCount} raised by one. A record that the
 * filters do not select is carried over to the end of the DLQ, keeping its key, headers and
 * timestamp, in the same transaction: the group's offset can then move past it and it stays in the
 * DLQ for a later run. Each run stops at the DLQ's end as it was when the run started.
 */
public final class DlqReplayer {
    private static final Logger LOG = LoggerFactory.getLogger(DlqReplayer.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /**
     * The header on a replayed job naming the DLQ record it came from: {@code topic/part/offset}.
     */
    public static final String REPLAYED_FROM_HEADER = "observers.replayed.from";

    private final ApplicationConfig config;
    private final Duration timeout;

    /**
     * A replayer over the topics of this config, giving up after {@code timeout} of no progress.
     */
    public DlqReplayer(ApplicationConfig config, Duration timeout) {
        this.config = Objects.requireNonNull(config, "config");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The consumer group whose committed offsets mark how far the DLQ has been handled. */
    public static String groupId(String prefix) {
        return new GroupNames(prefix).dlqReplay();
    }

    /**
     * Which dead letters to replay.
     *
     * @param observer only jobs of this observer, or null for all
     * @param since only jobs dead-lettered at or after this time, or null
     * @param until only jobs dead-lettered before this time, or null
     */
    public record Filter(String observer, Instant since, Instant until) {
        /** Every dead letter. */
        public static Filter all() {
            return new Filter(null, null, null);
        }

        /** True when the dead letter is selected. */
        public boolean accepts(DeadLetter letter) {
            Instant at = letter.deadLetteredAt();
            return (observer == null || observer.equals(letter.job().getObserver()))
                    && (since == null || !at.isBefore(since))
                    && (until == null || at.isBefore(until));
        }
    }

    /**
     * What a run did.
     *
     * @param replayed jobs moved back to the jobs topic
     * @param carried dead letters not selected, carried over to the end of the DLQ
     * @param heldElsewhere true when this run ended with no DLQ partition because another run holds
     *     them
     */
    public record Result(long replayed, long carried, boolean heldElsewhere) {}

    /** Prints (to {@code sink}) the dead letters a run would replay, changing nothing. */
    public long dryRun(Filter filter, long limit, Consumer<DeadLetter> sink) {
        long[] selected = {0};
        new DeadLetterReader(config, timeout)
                .read(
                        letter -> {
                            if (selected[0] < limit && filter.accepts(letter)) {
                                selected[0]++;
                                sink.accept(letter);
                            }
                        });
        return selected[0];
    }

    /**
     * Replays the selected dead letters, at most {@code limit} of them.
     *
     * @param progress makes the progress reporter once the number of waiting records is known
     */
    public Result replay(Filter filter, long limit, LongFunction<Progress> progress) {
        String dlq = config.topicNames().jobsDlq();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties());
                Serializer<Job> jobs = ObserverSerdes.job().serializer()) {
            producer.initTransactions();
            Run run = new Run(consumer, producer, jobs, filter, limit, dlq);
            return run.execute(progress);
        }
    }

    /** The state of one run: its clients, its filters and what it has moved so far. */
    private final class Run {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final KafkaProducer<byte[], byte[]> producer;
        private final Serializer<Job> jobs;
        private final Deserializer<Job> jobReader = ObserverSerdes.job().deserializer();
        private final Filter filter;
        private final long limit;
        private final String dlq;
        private final String jobsTopic = config.topicNames().jobs();
        private final Set<TopicPartition> assigned = new HashSet<>();
        private Map<TopicPartition, Long> stop = Map.of();
        private boolean everAssigned;
        private long replayed;
        private long carried;

        Run(
                KafkaConsumer<byte[], byte[]> consumer,
                KafkaProducer<byte[], byte[]> producer,
                Serializer<Job> jobs,
                Filter filter,
                long limit,
                String dlq) {
            this.consumer = consumer;
            this.producer = producer;
            this.jobs = jobs;
            this.filter = filter;
            this.limit = limit;
            this.dlq = dlq;
        }

        Result execute(LongFunction<Progress> progressFactory) {
            List<TopicPartition> partitions = partitions();
            stop = consumer.endOffsets(partitions, timeout);
            Progress progress = progressFactory.apply(waiting(partitions));

            consumer.subscribe(List.of(dlq), new Assignment());
            long lastProgressNs = System.nanoTime();
            while (replayed < limit && !(everAssigned && allReached())) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (records.isEmpty()) {
                    if (System.nanoTime() - lastProgressNs > timeout.toNanos()) {
                        throw new IllegalStateException(
                                "no progress on " + dlq + " within " + timeout);
                    }
                    continue;
                }
                long moved = moveInOneTransaction(records);
                progress.advance(moved);
                lastProgressNs = System.nanoTime();
            }
            progress.finish();
            return new Result(replayed, carried, assigned.isEmpty() && replayed + carried == 0);
        }

        /** Moves a batch; returns how many records it handled (0 when the transaction failed). */
        private long moveInOneTransaction(ConsumerRecords<byte[], byte[]> records) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            long batchReplayed = 0;
            long batchCarried = 0;
            producer.beginTransaction();
            try {
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    boolean beyondStop = record.offset() >= stop.getOrDefault(tp, 0L);
                    if (beyondStop || replayed + batchReplayed >= limit) {
                        // Not handled: its offset is not committed, so a later run reads it.
                        continue;
                    }
                    if (moveOne(record)) {
                        batchReplayed++;
                    } else {
                        batchCarried++;
                    }
                    offsets.put(tp, new OffsetAndMetadata(record.offset() + 1));
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
            } catch (ProducerFencedException
                    | OutOfOrderSequenceException
                    | AuthorizationException fatal) {
                throw fatal;
            } catch (KafkaException e) {
                LOG.warn(
                        "replay of {}: transaction aborted ({}); the batch is read again from the"
                                + " group's committed offsets",
                        dlq,
                        e.toString());
                producer.abortTransaction();
                rewind();
                return 0;
            }
            replayed += batchReplayed;
            carried += batchCarried;
            pauseReached();
            return batchReplayed + batchCarried;
        }

        /** Writes one record back to the jobs topic (selected) or the DLQ's end (not selected). */
        private boolean moveOne(ConsumerRecord<byte[], byte[]> record) {
            Job job = jobReader.deserialize(dlq, record.value());
            DeadLetter letter = DeadLetterReader.toDeadLetter(record, job);
            if (!filter.accepts(letter)) {
                producer.send(
                        new ProducerRecord<>(
                                dlq,
                                null,
                                record.timestamp(),
                                record.key(),
                                record.value(),
                                record.headers()));
                return false;
            }
            Job again =
                    Job.newBuilder(job)
                            .setAttempt(1)
                            .setDueAtMs(0)
                            .setReplayCount(job.getReplayCount() + 1)
                            .build();
            RecordHeaders headers = new RecordHeaders();
            headers.add(
                    REPLAYED_FROM_HEADER,
                    (dlq + "/" + record.partition() + "/" + record.offset())
                            .getBytes(StandardCharsets.UTF_8));
            producer.send(
                    new ProducerRecord<>(
                            jobsTopic,
                            null,
                            null,
                            record.key(),
                            jobs.serialize(jobsTopic, again),
                            headers));
            return true;
        }

        private List<TopicPartition> partitions() {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(dlq, timeout).stream()
                            .map(info -> new TopicPartition(dlq, info.partition()))
                            .toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException(
                        "topic " + dlq + " does not exist; run 'observers topics apply'");
            }
            return partitions;
        }

        private long waiting(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    consumer.committed(Set.copyOf(partitions), timeout);
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, timeout);
            long total = 0;
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata offset = committed.get(tp);
                long from = offset == null ? beginning.get(tp) : offset.offset();
                total += Math.max(0, stop.get(tp) - from);
            }
            return total;
        }

        private boolean allReached() {
            for (TopicPartition tp : assigned) {
                if (consumer.position(tp, timeout) < stop.getOrDefault(tp, 0L)) {
                    return false;
                }
            }
            return true;
        }

        private void pauseReached() {
            for (TopicPartition tp : assigned) {
                if (consumer.position(tp, timeout) >= stop.getOrDefault(tp, 0L)) {
                    consumer.pause(List.of(tp));
                }
            }
        }

        /** After an aborted transaction: read again from what the group has committed. */
        private void rewind() {
            Set<TopicPartition> current = consumer.assignment();
            if (current.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(current, timeout);
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(current, timeout);
            for (TopicPartition tp : current) {
                OffsetAndMetadata offset = committed.get(tp);
                consumer.seek(tp, offset == null ? beginning.get(tp) : offset.offset());
            }
        }

        /** Tracks the partitions this run holds; a rebalance may move them to another run. */
        private final class Assignment implements ConsumerRebalanceListener {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                assigned.removeAll(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                everAssigned = true;
                assigned.addAll(partitions);
                LOG.debug("replay of {}: holds partitions {}", dlq, assigned);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                assigned.removeAll(partitions);
            }
        }
    }

    private Properties consumerProperties() {
        Properties properties = config.kafkaProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(config.prefix()));
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return properties;
    }

    private Properties producerProperties() {
        Properties properties = config.kafkaProperties();
        // One transactional id per run: overlapping runs are kept apart by the consumer group's
        // generation (checked when offsets are committed), not by fencing each other's producer.
        properties.put(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                groupId(config.prefix()) + "." + UUID.randomUUID());
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return properties;
    }
}
