package dev.fraiseql.observers.streams.worker;

import dev.fraiseql.observers.core.action.ActionOutcome;
import dev.fraiseql.observers.core.action.ActionRunner;
import dev.fraiseql.observers.core.action.ActionSpec;
import dev.fraiseql.observers.core.config.app.GroupNames;
import dev.fraiseql.observers.core.metrics.ObserverMetric;
import dev.fraiseql.observers.core.metrics.ObserverMetrics;
import dev.fraiseql.observers.core.metrics.ObserverTag;
import dev.fraiseql.observers.core.retry.RetryPolicy;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.JobStatus;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job worker: reads {@code <prefix>.jobs} and the retry topics with a plain consumer group,
 * runs each job's action, and writes what came of it.
 *
 * <h2>How it works</h2>
 *
 * <ul>
 *   <li>One thread owns the consumer and the transactional producer. Actions run asynchronously
 *       through an {@link ActionRunner} (per-type and per-host limits, circuit breakers), so a slow
 *       receiver holds a slot, not the partition: later jobs of the same partition run meanwhile,
 *       up to {@link Settings#maxInFlightPerPartition()} per partition and {@link
 *       Settings#maxInFlight()} in all, beyond which partitions are paused.
 *   <li>Only the finished prefix of each partition is committed: one Kafka transaction holds the
 *       outcome records, any retry or DLQ records, and the input offsets ({@code
 *       sendOffsetsToTransaction}). Consumers read {@code read_committed}. A crash therefore
 *       repeats actions (at-least-once, each attempt with the same job id) but never loses a job or
 *       writes its outputs twice for one input record.
 *   <li>A retry partition whose head record is not due is paused until it is: the consumer seeks
 *       back to the head and the poll timeout is cut to wake at the due time. The jobs topic and
 *       other retry topics keep flowing.
 * </ul>
 *
 * <p>Lifecycle: {@code CREATED -> RUNNING -> CLOSING -> CLOSED}, or {@code FAILED} on a fatal error
 * or when the producer is fenced more than three times in ten minutes (another instance keeps
 * taking over its transactional id). A single fence, which a broker outage longer than {@code
 * transaction.timeout.ms} causes, is survived: a new producer takes over the id and the finished
 * jobs are written again.
 *
 * <p>Limits: an action that finished but sits behind a running one in the same partition is
 * committed only when that one finishes; after a crash both run again. Jobs are read in partition
 * order, not in due order across retry topics.
 */
public final class JobWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobWorker.class);
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    private static final Duration SUMMARY_EVERY = Duration.ofSeconds(30);
    private static final int MAX_FENCES = 3;
    private static final Duration FENCE_WINDOW = Duration.ofMinutes(10);

    /** The states of the worker; each moves only to the ones after it. */
    public enum State {
        CREATED,
        RUNNING,
        CLOSING,
        CLOSED,
        FAILED
    }

    /**
     * The worker's settings.
     *
     * @param prefix the topic prefix ({@code observers})
     * @param groupId the consumer group of the workers
     * @param instanceId this instance's stable id: the suffix of the transactional id (a restarted
     *     instance fences its dead predecessor's open transaction at once) and, when {@code
     *     staticMembership}, the consumer's {@code group.instance.id}
     * @param staticMembership whether a restarted instance takes its partitions back without a
     *     rebalance
     * @param maxInFlight jobs taken and not yet committed, in all
     * @param maxInFlightPerPartition jobs taken and not yet committed, per partition
     * @param createTopics create missing topics on start
     * @param partitions partitions of created topics
     * @param replication replication factor of created topics
     */
    public record Settings(
            String prefix,
            String groupId,
            String instanceId,
            boolean staticMembership,
            int maxInFlight,
            int maxInFlightPerPartition,
            boolean createTopics,
            int partitions,
            short replication) {

        public Settings {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(instanceId, "instanceId");
            if (maxInFlight < 1 || maxInFlightPerPartition < 1) {
                throw new IllegalArgumentException("in-flight limits must be at least 1");
            }
            if (partitions < 1 || replication < 1) {
                throw new IllegalArgumentException("partitions and replication must be at least 1");
            }
        }

        /** Defaults for a prefix and an instance id: 256 jobs in flight, 64 per partition. */
        public static Settings defaults(String prefix, String instanceId) {
            return new Settings(
                    prefix,
                    new GroupNames(prefix).worker(),
                    instanceId,
                    false,
                    256,
                    64,
                    true,
                    3,
                    (short) 3);
        }

        /** These settings with other topic sizes. */
        public Settings withTopics(int partitionCount, short replicationFactor) {
            return new Settings(
                    prefix,
                    groupId,
                    instanceId,
                    staticMembership,
                    maxInFlight,
                    maxInFlightPerPartition,
                    createTopics,
                    partitionCount,
                    replicationFactor);
        }

        /** These settings with static group membership on or off. */
        public Settings withStaticMembership(boolean on) {
            return new Settings(
                    prefix,
                    groupId,
                    instanceId,
                    on,
                    maxInFlight,
                    maxInFlightPerPartition,
                    createTopics,
                    partitions,
                    replication);
        }
    }

    private final Properties kafka;
    private final ActionCatalog catalog;
    private final ActionRunner runner;
    private final Clock clock;
    private final ObserverMetrics meters;
    private final Settings settings;
    private final JobTopics topics;
    private final OutcomeRouter router;
    private final Deserializer<Job> jobReader = ObserverSerdes.job().deserializer();

    private final AtomicReference<State> state = new AtomicReference<>(State.CREATED);
    private final Map<TopicPartition, PartitionWork> work = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicLong> summary = new ConcurrentHashMap<>();
    private final List<Instant> fences = new ArrayList<>();
    private boolean producerBroken;
    private volatile boolean assigned;
    private volatile Instant closeDeadline;
    private Thread thread;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    private Instant lastSummary;

    /**
     * A worker; nothing connects before {@link #start()}.
     *
     * @param kafka Kafka client settings ({@code bootstrap.servers}, security), shared by its
     *     consumer and producer
     * @param catalog the actions jobs can ask for
     * @param runner runs the actions (executors, limits, breakers); closed with the worker
     * @param clock the time for due times and failure times
     * @param meters where the worker's metrics go
     */
    public JobWorker(
            Properties kafka,
            ActionCatalog catalog,
            ActionRunner runner,
            Clock clock,
            MeterRegistry meters,
            Settings settings) {
        this.kafka = new Properties();
        this.kafka.putAll(kafka);
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.meters = new ObserverMetrics(Objects.requireNonNull(meters, "meters"));
        this.settings = Objects.requireNonNull(settings, "settings");
        List<RetryPolicy> policies = catalog.all().stream().map(ActionSpec::retry).toList();
        this.topics = JobTopics.of(settings.prefix(), policies);
        this.router =
                new OutcomeRouter(
                        topics,
                        ObserverSerdes.job().serializer(),
                        ObserverSerdes.jobOutcome().serializer(),
                        () -> ThreadLocalRandom.current().nextDouble(),
                        runner.breakerOpenFor());
    }

    /** The topics this worker reads and writes. */
    public JobTopics topics() {
        return topics;
    }

    /** The current state. */
    public State state() {
        return state.get();
    }

    /** True once the group gave this worker partitions (readiness). */
    public boolean isAssigned() {
        return assigned && state.get() == State.RUNNING;
    }

    /** Starts the worker's thread. */
    public synchronized void start() {
        if (!state.compareAndSet(State.CREATED, State.RUNNING)) {
            throw new IllegalStateException("the job worker can start once; it is " + state.get());
        }
        if (settings.createTopics()) {
            createMissingTopics();
        }
        consumer =
                new KafkaConsumer<>(
                        consumerProperties(),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        producer =
                new KafkaProducer<>(
                        producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        thread = new Thread(this::run, "job-worker-" + settings.instanceId());
        thread.start();
        log.info("job worker {} started on {}", settings.instanceId(), topics);
    }

    /** Stops taking jobs, waits up to the timeout for running ones, commits, and closes. */
    public void close(Duration timeout) {
        State before = state.get();
        if (before == State.CREATED) {
            state.set(State.CLOSED);
            runner.close();
            return;
        }
        if (before == State.RUNNING) {
            closeDeadline = clock.instant().plus(timeout);
            state.compareAndSet(State.RUNNING, State.CLOSING);
            log.info(
                    "job worker {} closing: waiting up to {} ms for {} running jobs",
                    settings.instanceId(),
                    timeout.toMillis(),
                    inFlight.get());
        }
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            if (thread != null) {
                thread.join(timeout.plusSeconds(10).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runner.close();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(topics.inputs(), new Rebalance());
            lastSummary = clock.instant();
            while (keepRunning()) {
                adjustPauses();
                poll();
                commitFinished();
                logSummary();
            }
            commitFinished();
            state.compareAndSet(State.CLOSING, State.CLOSED);
            log.info("job worker {} closed", settings.instanceId());
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            state.set(State.FAILED);
            log.error(
                    "job worker {} stopped: its producer was fenced again and again; another"
                            + " instance keeps taking over its transactional id ({}). Give each"
                            + " worker its own instance id",
                    settings.instanceId(),
                    e.getMessage());
        } catch (RuntimeException | Error e) {
            state.set(State.FAILED);
            log.error(
                    "job worker {} stopped on an unexpected error; restart it",
                    settings.instanceId(),
                    e);
        } finally {
            assigned = false;
            closeQuietly(consumer, "consumer");
            closeQuietly(producer, "producer");
        }
    }

    private boolean keepRunning() {
        State current = state.get();
        if (current == State.RUNNING) {
            return true;
        }
        if (current != State.CLOSING) {
            return false;
        }
        boolean running = work.values().stream().anyMatch(w -> w.size() > 0);
        return running && clock.instant().isBefore(closeDeadline);
    }

    private void poll() {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(pollTimeout());
        } catch (WakeupException e) {
            // A job finished or close() was called: go round the loop.
            return;
        }
        Instant now = clock.instant();
        for (TopicPartition partition : records.partitions()) {
            PartitionWork partitionWork = work.computeIfAbsent(partition, PartitionWork::new);
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                if (!take(partitionWork, record, now)) {
                    // Not taken now: read it again when the partition resumes.
                    consumer.seek(partition, record.offset());
                    break;
                }
            }
        }
    }

    /** Takes one record; false when it must wait (not due, too much in flight, closing). */
    private boolean take(
            PartitionWork partitionWork, ConsumerRecord<byte[], byte[]> record, Instant now) {
        if (state.get() != State.RUNNING
                || partitionWork.size() >= settings.maxInFlightPerPartition()
                || inFlight.get() >= settings.maxInFlight()) {
            return false;
        }
        OutcomeRouter.Input input =
                new OutcomeRouter.Input(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.key(),
                        record.headers());
        Job job;
        try {
            job = jobReader.deserialize(record.topic(), record.value());
            if (job == null) {
                throw new SerializationException("the record has no value");
            }
        } catch (SerializationException e) {
            log.warn(
                    "{}-{}@{}: not a readable job, moving it to {}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    topics.deadLetter(),
                    e.getMessage());
            partitionWork.add(
                    PartitionWork.Slot.decided(
                            input,
                            router.unreadable(input, record.value(), e.getMessage(), now),
                            now));
            return true;
        }

        if (topics.isRetryTopic(record.topic()) && job.getDueAtMs() > now.toEpochMilli()) {
            partitionWork.waitUntil(Instant.ofEpochMilli(job.getDueAtMs()));
            return false;
        }

        Optional<ActionSpec> spec = catalog.find(job.getObserver(), job.getActionIndex());
        if (spec.isEmpty() || !spec.get().type().equals(job.getActionType())) {
            String reason =
                    "observer '"
                            + job.getObserver()
                            + "' has no "
                            + job.getActionType()
                            + " action at index "
                            + job.getActionIndex()
                            + " (was it removed or reordered?)";
            partitionWork.add(
                    PartitionWork.Slot.decided(
                            input, router.unrunnable(input, job, reason, now), now));
            return true;
        }

        PartitionWork.Slot slot = new PartitionWork.Slot(input, job, spec.get(), now);
        partitionWork.add(slot);
        inFlight.incrementAndGet();
        runner.run(job, spec.get())
                .whenComplete(
                        (outcome, error) -> {
                            ActionOutcome result =
                                    error == null
                                            ? outcome
                                            : ActionOutcome.retriable(
                                                    null, "error", String.valueOf(error));
                            slot.finish(result, clock.instant());
                            if (slot.release()) {
                                inFlight.decrementAndGet();
                            }
                            KafkaConsumer<byte[], byte[]> current = consumer;
                            if (current != null) {
                                current.wakeup();
                            }
                        });
        return true;
    }

    private Duration pollTimeout() {
        Instant now = clock.instant();
        Duration timeout = state.get() == State.CLOSING ? Duration.ofMillis(100) : IDLE_POLL;
        for (PartitionWork partitionWork : work.values()) {
            Instant until = partitionWork.waitingUntil();
            if (until != null) {
                Duration left = Duration.between(now, until);
                if (left.compareTo(timeout) < 0) {
                    timeout = left.isNegative() ? Duration.ZERO : left;
                }
            }
        }
        return timeout;
    }

    private void adjustPauses() {
        Set<TopicPartition> assignment = consumer.assignment();
        if (assignment.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        boolean full = inFlight.get() >= settings.maxInFlight() || state.get() != State.RUNNING;
        Set<TopicPartition> pause = new HashSet<>();
        for (TopicPartition partition : assignment) {
            PartitionWork partitionWork = work.computeIfAbsent(partition, PartitionWork::new);
            if (full
                    || partitionWork.isWaiting(now)
                    || partitionWork.size() >= settings.maxInFlightPerPartition()) {
                pause.add(partition);
            }
        }
        Set<TopicPartition> resume = new HashSet<>(assignment);
        resume.removeAll(pause);
        consumer.pause(pause);
        consumer.resume(resume);
    }

    /** Commits every partition's finished prefix in one transaction with its outputs. */
    private void commitFinished() {
        Map<TopicPartition, List<PartitionWork.Slot>> ready = new HashMap<>();
        for (PartitionWork partitionWork : work.values()) {
            List<PartitionWork.Slot> prefix = partitionWork.finishedPrefix();
            if (!prefix.isEmpty()) {
                ready.put(partitionWork.partition(), prefix);
            }
        }
        if (ready.isEmpty()) {
            return;
        }

        if (producerBroken && !replaceProducer()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        List<PartitionWork.Slot> written = new ArrayList<>();
        SendFailures sendFailures = new SendFailures();
        try {
            producer.beginTransaction();
            for (Map.Entry<TopicPartition, List<PartitionWork.Slot>> entry : ready.entrySet()) {
                for (PartitionWork.Slot slot : entry.getValue()) {
                    OutcomeRouter.Routed routed = routed(slot);
                    for (ProducerRecord<byte[], byte[]> record : routed.records()) {
                        producer.send(record, sendFailures);
                    }
                    written.add(slot);
                }
                List<PartitionWork.Slot> slots = entry.getValue();
                offsets.put(
                        entry.getKey(), new OffsetAndMetadata(nextOffset(entry.getKey(), slots)));
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            commitRetryingTimeouts();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            fenced(e);
            return;
        } catch (OutOfOrderSequenceException | AuthorizationException e) {
            throw e;
        } catch (KafkaException e) {
            // A fenced producer fails its sends at once, but sendOffsetsToTransaction then waits
            // out max.block.ms and times out: the sends tell the real cause.
            KafkaException fence = sendFailures.fence();
            if (fence != null) {
                fenced(fence);
                return;
            }
            abortAndRewind(ready.keySet(), e);
            return;
        }

        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : offsets.entrySet()) {
            PartitionWork partitionWork = work.get(entry.getKey());
            if (partitionWork != null) {
                partitionWork.removeThrough(entry.getValue().offset() - 1);
            }
        }
        written.forEach(slot -> record(slot, slot.routed()));
    }

    /** The first failure among a transaction's sends, for telling a fence apart early. */
    private static final class SendFailures implements Callback {
        private final AtomicReference<Exception> first = new AtomicReference<>();

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception != null) {
                first.compareAndSet(null, exception);
            }
        }

        /** The fence a send failed with, or null. */
        KafkaException fence() {
            Exception failure = first.get();
            return failure instanceof ProducerFencedException
                            || failure instanceof InvalidProducerEpochException
                    ? (KafkaException) failure
                    : null;
        }
    }

    /**
     * The offset to commit after a finished prefix. When the prefix is all the partition's work,
     * that is the consumer's position, which is past the transaction marker that follows the last
     * record of a transactional writer: committing the last offset + 1 instead would leave an idle
     * queue with a lag of one marker per transaction forever. The position never passes a record
     * that was not taken, because those are sought back to.
     */
    private long nextOffset(TopicPartition partition, List<PartitionWork.Slot> prefix) {
        long afterLast = prefix.get(prefix.size() - 1).offset + 1;
        PartitionWork partitionWork = work.get(partition);
        if (partitionWork == null || partitionWork.size() != prefix.size()) {
            return afterLast;
        }
        try {
            return Math.max(afterLast, consumer.position(partition, Duration.ofSeconds(1)));
        } catch (KafkaException | IllegalStateException e) {
            // No position now (the partition is being revoked): the plain offset is still right.
            return afterLast;
        }
    }

    private OutcomeRouter.Routed routed(PartitionWork.Slot slot) {
        if (slot.routed() == null) {
            // Routed on this thread: the serializers and the random source stay single-threaded.
            slot.routed(
                    router.route(
                            slot.input,
                            slot.job,
                            slot.spec,
                            slot.outcome(),
                            slot.startedAt,
                            slot.finishedAt()));
            recordAttempt(slot);
        }
        return slot.routed();
    }

    private void recordAttempt(PartitionWork.Slot slot) {
        ActionOutcome outcome = slot.outcome();
        var type = ObserverTag.ACTION_TYPE.is(tagValue(slot.spec.type()));
        meters.record(
                ObserverMetric.ACTION_DURATION,
                Duration.between(slot.startedAt, slot.finishedAt()),
                type);
        if (outcome.isSuccess()) {
            meters.increment(ObserverMetric.ACTION_EXECUTED, type);
        } else {
            meters.increment(
                    ObserverMetric.ACTION_ERRORS,
                    type,
                    ObserverTag.ERROR_TYPE.is(errorTag(outcome)));
        }
    }

    /** A bounded tag value for an error class: {@code http_5xx}, {@code timeout}, ... */
    static String errorTag(ActionOutcome outcome) {
        String errorClass = outcome.errorClass() == null ? "error" : outcome.errorClass();
        if (errorClass.matches("http_[0-9]{3}")) {
            return "http_" + errorClass.charAt(5) + "xx";
        }
        return tagValue(errorClass);
    }

    private static String tagValue(String text) {
        String tag = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-");
        return tag.length() > 40 ? tag.substring(0, 40) : tag;
    }

    private void record(PartitionWork.Slot slot, OutcomeRouter.Routed routed) {
        String status = routed.status().name().toLowerCase(Locale.ROOT);
        if (slot.job != null) {
            var type = ObserverTag.ACTION_TYPE.is(tagValue(slot.job.getActionType()));
            Duration sinceCreated =
                    Duration.ofMillis(
                            Math.max(
                                    0,
                                    slot.finishedAt().toEpochMilli() - slot.job.getCreatedAtMs()));
            switch (routed.status()) {
                case DELIVERED -> {
                    meters.increment(ObserverMetric.JOB_EXECUTED, type);
                    meters.record(ObserverMetric.JOB_DURATION, sinceCreated, type);
                }
                case DEAD_LETTERED -> {
                    meters.increment(ObserverMetric.JOB_FAILED, type);
                    meters.record(ObserverMetric.JOB_DURATION, sinceCreated, type);
                }
                default ->
                        meters.increment(
                                ObserverMetric.JOB_RETRY_ATTEMPTS,
                                type,
                                ObserverTag.DELAY.is(delayOf(routed.records().get(0).topic())));
            }
        }
        // Which job: its id, its observer and action, so the DLQ record can be found.
        String which =
                slot.job == null
                        ? slot.input.topic()
                                + "-"
                                + slot.input.partition()
                                + "@"
                                + slot.input.offset()
                        : "job "
                                + slot.job.getJobId()
                                + " ("
                                + slot.job.getObserver()
                                + "#"
                                + slot.job.getActionIndex()
                                + " "
                                + slot.job.getActionType()
                                + ")";
        if (routed.status() == JobStatus.DEAD_LETTERED) {
            log.warn("{}: {}", which, routed.detail());
        } else {
            log.debug("{}: {}", which, routed.detail());
        }
        summary.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
    }

    private static String delayOf(String retryTopic) {
        return retryTopic.substring(retryTopic.lastIndexOf('.') + 1);
    }

    /**
     * Commits the transaction, calling {@code commitTransaction} again after a timeout as the
     * producer's contract asks: a commit that timed out can only be retried, not aborted ({@code
     * abortTransaction} then throws). Without this, a broker away for longer than {@code
     * max.block.ms} (60 s) stopped the worker for good. While closing, the timeout is rethrown.
     */
    private void commitRetryingTimeouts() {
        while (true) {
            try {
                producer.commitTransaction();
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (state.get() != State.RUNNING) {
                    throw e;
                }
                log.warn(
                        "job worker {}: committing timed out ({}); committing again",
                        settings.instanceId(),
                        e.getMessage());
            }
        }
    }

    /**
     * The producer was fenced: its epoch is no longer the transactional id's current one. The usual
     * cause is the broker aborting a transaction that outlived {@code transaction.timeout.ms}, for
     * example across a broker outage, but another live instance with the same id does the same. The
     * open transaction is gone on the broker, so the finished jobs stay where they are and the next
     * pass writes their outcomes and offsets again through a new producer. More than {@value
     * #MAX_FENCES} fences within {@link #FENCE_WINDOW} mean another instance keeps taking the id
     * over; the worker then stops.
     */
    private void fenced(KafkaException cause) {
        Instant now = clock.instant();
        fences.removeIf(at -> at.isBefore(now.minus(FENCE_WINDOW)));
        fences.add(now);
        if (fences.size() > MAX_FENCES || state.get() != State.RUNNING) {
            throw cause;
        }
        producerBroken = true;
        log.warn(
                "job worker {}: its producer was fenced ({}); the broker aborted the open"
                        + " transaction (a broker outage longer than transaction.timeout.ms does"
                        + " this, and so does another worker with the same instance id). Starting"
                        + " a new producer and writing the finished jobs again; fence {} of at most"
                        + " {} in {} min",
                settings.instanceId(),
                cause.getMessage(),
                fences.size(),
                MAX_FENCES,
                FENCE_WINDOW.toMinutes());
    }

    /**
     * Replaces a producer that can no longer run transactions with a new one under the same
     * transactional id; {@code initTransactions} aborts whatever the old one left open. False when
     * the broker cannot be reached yet: the next pass tries again.
     */
    private boolean replaceProducer() {
        closeQuietly(producer, "fenced producer", Duration.ZERO);
        producer =
                new KafkaProducer<>(
                        producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            log.warn(
                    "job worker {}: the new producer could not start its transactions yet ({});"
                            + " trying again",
                    settings.instanceId(),
                    e.getMessage());
            return false;
        }
        producerBroken = false;
        log.info("job worker {}: new producer ready", settings.instanceId());
        return true;
    }

    private void abortAndRewind(Collection<TopicPartition> partitions, KafkaException cause) {
        log.warn(
                "job worker {}: transaction failed ({}); aborting it and running the uncommitted"
                        + " jobs again",
                settings.instanceId(),
                cause.toString());
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            // After a commit timeout, or in a fatal state, the producer cannot abort; a new one
            // with the same transactional id aborts the open transaction when it starts.
            producerBroken = true;
            log.warn(
                    "job worker {}: abort failed too ({}); starting a new producer",
                    settings.instanceId(),
                    e.toString());
        }
        for (TopicPartition partition : partitions) {
            PartitionWork partitionWork = work.get(partition);
            if (partitionWork != null && partitionWork.firstOffset() != null) {
                consumer.seek(partition, partitionWork.firstOffset());
                forget(partitionWork);
            }
        }
    }

    /** Drops a partition's slots; running jobs finish into the void and run again later. */
    private void forget(PartitionWork partitionWork) {
        int running = partitionWork.releaseRunning();
        partitionWork.clear();
        inFlight.addAndGet(-running);
    }

    private void logSummary() {
        Instant now = clock.instant();
        if (Duration.between(lastSummary, now).compareTo(SUMMARY_EVERY) < 0) {
            return;
        }
        Map<String, Long> counts = new java.util.TreeMap<>();
        summary.forEach((status, count) -> counts.put(status, count.getAndSet(0)));
        if (counts.values().stream().anyMatch(c -> c > 0)) {
            log.info(
                    "job worker {}: in the last {} s: {}; {} running",
                    settings.instanceId(),
                    SUMMARY_EVERY.toSeconds(),
                    counts,
                    inFlight.get());
        }
        lastSummary = now;
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Commit what is finished while the generation still owns these partitions (not after
            // a failure: the producer may be fenced or closed).
            if (state.get() != State.FAILED) {
                commitFinished();
            }
            for (TopicPartition partition : partitions) {
                PartitionWork partitionWork = work.remove(partition);
                if (partitionWork != null) {
                    forget(partitionWork);
                }
            }
            assigned = !consumer.assignment().isEmpty() && !work.isEmpty();
            log.info("job worker {}: partitions revoked {}", settings.instanceId(), partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                PartitionWork partitionWork = work.remove(partition);
                if (partitionWork != null) {
                    forget(partitionWork);
                }
            }
            log.warn(
                    "job worker {}: partitions lost {}; their running jobs will run again",
                    settings.instanceId(),
                    partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                work.computeIfAbsent(partition, PartitionWork::new);
            }
            assigned = true;
            log.info("job worker {}: partitions assigned {}", settings.instanceId(), partitions);
        }
    }

    private void createMissingTopics() {
        Properties admin = new Properties();
        admin.putAll(kafka);
        try (Admin client = Admin.create(admin)) {
            Set<String> existing = client.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing =
                    topics.declarations(settings.partitions(), settings.replication()).stream()
                            .filter(topic -> !existing.contains(topic.name()))
                            .toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                client.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            log.info(
                    "job worker {}: created topics {}",
                    settings.instanceId(),
                    missing.stream().map(NewTopic::name).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the job topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "could not create the job topics " + topics + ": " + e, e);
        }
    }

    private Properties consumerProperties() {
        Properties properties = new Properties();
        properties.putAll(kafka);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
        properties.putIfAbsent(
                ConsumerConfig.CLIENT_ID_CONFIG, "job-worker-" + settings.instanceId());
        if (settings.staticMembership()) {
            properties.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.instanceId());
        }
        return properties;
    }

    private Properties producerProperties() {
        Properties properties = new Properties();
        properties.putAll(kafka);
        properties.put(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                settings.groupId() + "-" + settings.instanceId());
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.putIfAbsent(
                ProducerConfig.CLIENT_ID_CONFIG, "job-worker-" + settings.instanceId());
        return properties;
    }

    private static void closeQuietly(AutoCloseable closeable, String what) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("closing the job worker's {} failed: {}", what, e.toString());
        }
    }

    private static void closeQuietly(
            KafkaProducer<byte[], byte[]> producer, String what, Duration timeout) {
        try {
            producer.close(timeout);
        } catch (KafkaException e) {
            log.warn("closing the job worker's {} failed: {}", what, e.toString());
        }
    }
}
