package dev.fraiseql.observers.streams.worker;

import dev.fraiseql.observers.core.action.ActionOutcome;
import dev.fraiseql.observers.core.action.ActionSpec;
import dev.fraiseql.observers.core.retry.RetryDecision;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.JobOutcome;
import dev.fraiseql.observers.schemas.JobStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Turns the outcome of one attempt into the records the worker writes in the same transaction as
 * the input offset: always a {@link JobOutcome} (key: job id) and, for a failure, the job again on
 * a retry topic or on the DLQ with its failure headers.
 */
final class OutcomeRouter {
    private final JobTopics topics;
    private final Serializer<Job> jobs;
    private final Serializer<JobOutcome> outcomes;
    private final DoubleSupplier random;
    private final Duration deferral;

    /** Where an input record came from. */
    record Input(String topic, int partition, long offset, byte[] key, Headers headers) {
        Input {
            Objects.requireNonNull(topic, "topic");
            headers = headers == null ? new RecordHeaders() : headers;
        }
    }

    /** What to write, and what happened (for metrics and logs). */
    record Routed(JobStatus status, List<ProducerRecord<byte[], byte[]>> records, String detail) {}

    OutcomeRouter(
            JobTopics topics,
            Serializer<Job> jobs,
            Serializer<JobOutcome> outcomes,
            DoubleSupplier random,
            Duration deferral) {
        this.topics = topics;
        this.deferral = Objects.requireNonNull(deferral, "deferral");
        this.jobs = jobs;
        this.outcomes = outcomes;
        this.random = random;
    }

    /** Routes the outcome of the attempt {@code job.attempt} that started at {@code startedAt}. */
    Routed route(
            Input input,
            Job job,
            ActionSpec spec,
            ActionOutcome outcome,
            Instant startedAt,
            Instant now) {
        long durationMs = Math.max(0, Duration.between(startedAt, now).toMillis());
        switch (outcome.kind()) {
            case SUCCESS -> {
                return new Routed(
                        JobStatus.DELIVERED,
                        List.of(
                                outcomeRecord(
                                        job,
                                        JobStatus.DELIVERED,
                                        job.getAttempt(),
                                        now,
                                        durationMs,
                                        outcome.status(),
                                        null)),
                        "delivered on attempt " + job.getAttempt());
            }
            case DEFERRED -> {
                return defer(input, job, outcome, now, durationMs);
            }
            default -> {
                RetryDecision decision =
                        RetryDecision.after(
                                spec.retry(),
                                job.getAttempt(),
                                outcome.kind() == ActionOutcome.Kind.RETRIABLE,
                                outcome.retryAfter(),
                                random);
                return decision.retry()
                        ? retry(input, job, outcome, decision, now, durationMs)
                        : deadLetter(
                                input, job, outcome, decision.deadLetterReason(), now, durationMs);
            }
        }
    }

    /** Dead-letters a job the worker cannot run at all (its observer action is gone). */
    Routed unrunnable(Input input, Job job, String reason, Instant now) {
        return deadLetter(
                input,
                job,
                ActionOutcome.permanent(null, "unknown-action", reason),
                reason,
                now,
                0);
    }

    /** Dead-letters an input record that is not a readable job; its bytes are kept as they were. */
    Routed unreadable(Input input, byte[] value, String reason, Instant now) {
        Headers headers = originHeaders(input);
        put(headers, JobHeaders.DLQ_REASON, "unreadable job record: " + reason);
        put(headers, JobHeaders.ERROR_CLASS, "invalid-record");
        put(headers, JobHeaders.ATTEMPTS, "0");
        put(headers, JobHeaders.LAST_FAILURE, now.toString());
        return new Routed(
                JobStatus.DEAD_LETTERED,
                List.of(
                        new ProducerRecord<>(
                                topics.deadLetter(), null, input.key(), value, headers)),
                "unreadable record");
    }

    private Routed retry(
            Input input,
            Job failed,
            ActionOutcome outcome,
            RetryDecision decision,
            Instant now,
            long durationMs) {
        Job next = failedCopy(failed, outcome, now);
        next.setAttempt(failed.getAttempt() + 1);
        next.setDueAtMs(now.plus(decision.delay()).toEpochMilli());
        boolean extended =
                outcome.retryAfter() != null
                        && outcome.retryAfter().compareTo(decision.nominalDelay()) > 0;
        String topic =
                extended
                        ? topics.retryTopicFor(decision.delay())
                        : topics.retryTopicFor(decision.nominalDelay());

        Headers headers = originHeaders(input);
        put(headers, JobHeaders.JOB_ID, failed.getJobId());
        failureHeaders(headers, next, outcome);
        return new Routed(
                JobStatus.RETRY_SCHEDULED,
                List.of(
                        new ProducerRecord<>(
                                topic, null, input.key(), jobs.serialize(topic, next), headers),
                        outcomeRecord(
                                next,
                                JobStatus.RETRY_SCHEDULED,
                                failed.getAttempt(),
                                now,
                                durationMs,
                                outcome.status(),
                                outcome.describe())),
                "attempt "
                        + failed.getAttempt()
                        + " of "
                        + spec(failed)
                        + " failed ("
                        + outcome.describe()
                        + "); will retry in "
                        + decision.delay().toMillis()
                        + " ms via "
                        + topic);
    }

    private Routed defer(
            Input input, Job job, ActionOutcome outcome, Instant now, long durationMs) {
        Job same = Job.newBuilder(job).build();
        Duration wait = outcome.retryAfter() != null ? outcome.retryAfter() : deferral;
        same.setDueAtMs(now.plus(wait).toEpochMilli());
        String topic = topics.retryTopicFor(wait);
        Headers headers = originHeaders(input);
        put(headers, JobHeaders.JOB_ID, job.getJobId());
        return new Routed(
                JobStatus.DEFERRED,
                List.of(
                        new ProducerRecord<>(
                                topic, null, input.key(), jobs.serialize(topic, same), headers),
                        outcomeRecord(
                                same,
                                JobStatus.DEFERRED,
                                job.getAttempt() - 1,
                                now,
                                durationMs,
                                null,
                                outcome.describe())),
                "deferred without spending attempt "
                        + job.getAttempt()
                        + " ("
                        + outcome.excerpt()
                        + ")");
    }

    private Routed deadLetter(
            Input input,
            Job failed,
            ActionOutcome outcome,
            String reason,
            Instant now,
            long durationMs) {
        Job dead = failedCopy(failed, outcome, now);
        Headers headers = originHeaders(input);
        put(headers, JobHeaders.JOB_ID, failed.getJobId());
        put(headers, JobHeaders.DLQ_REASON, reason);
        failureHeaders(headers, dead, outcome);
        String topic = topics.deadLetter();
        return new Routed(
                JobStatus.DEAD_LETTERED,
                List.of(
                        new ProducerRecord<>(
                                topic, null, input.key(), jobs.serialize(topic, dead), headers),
                        outcomeRecord(
                                dead,
                                JobStatus.DEAD_LETTERED,
                                failed.getAttempt(),
                                now,
                                durationMs,
                                outcome.status(),
                                outcome.describe())),
                "attempt "
                        + failed.getAttempt()
                        + " failed ("
                        + outcome.describe()
                        + "); dead-lettered: "
                        + reason);
    }

    private static Job failedCopy(Job failed, ActionOutcome outcome, Instant now) {
        Job copy = Job.newBuilder(failed).build();
        if (copy.getFirstFailureAtMs() == null) {
            copy.setFirstFailureAtMs(now.toEpochMilli());
        }
        copy.setLastFailureAtMs(now.toEpochMilli());
        copy.setLastStatus(outcome.status());
        copy.setLastError(outcome.describe());
        return copy;
    }

    private static void failureHeaders(Headers headers, Job job, ActionOutcome outcome) {
        if (outcome.status() != null) {
            put(headers, JobHeaders.LAST_STATUS, outcome.status().toString());
        }
        put(headers, JobHeaders.ERROR_CLASS, outcome.errorClass());
        if (outcome.excerpt() != null) {
            put(headers, JobHeaders.RESPONSE_EXCERPT, outcome.excerpt());
        }
        put(headers, JobHeaders.ATTEMPTS, Integer.toString(job.getAttempt()));
        put(
                headers,
                JobHeaders.FIRST_FAILURE,
                Instant.ofEpochMilli(job.getFirstFailureAtMs()).toString());
        put(
                headers,
                JobHeaders.LAST_FAILURE,
                Instant.ofEpochMilli(job.getLastFailureAtMs()).toString());
    }

    /** The origin headers of the input if it has them (a retry), else the input's own position. */
    private static Headers originHeaders(Input input) {
        Headers headers = new RecordHeaders();
        Header topic = input.headers().lastHeader(JobHeaders.ORIGIN_TOPIC);
        if (topic != null) {
            headers.add(topic);
            copy(input.headers(), headers, JobHeaders.ORIGIN_PARTITION);
            copy(input.headers(), headers, JobHeaders.ORIGIN_OFFSET);
        } else {
            put(headers, JobHeaders.ORIGIN_TOPIC, input.topic());
            put(headers, JobHeaders.ORIGIN_PARTITION, Integer.toString(input.partition()));
            put(headers, JobHeaders.ORIGIN_OFFSET, Long.toString(input.offset()));
        }
        return headers;
    }

    private static void copy(Headers from, Headers to, String name) {
        Header header = from.lastHeader(name);
        if (header != null) {
            to.add(header);
        }
    }

    private static void put(Headers headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private ProducerRecord<byte[], byte[]> outcomeRecord(
            Job job,
            JobStatus status,
            int attempts,
            Instant now,
            long durationMs,
            Integer lastStatus,
            String error) {
        JobOutcome outcome =
                JobOutcome.newBuilder()
                        .setJobId(job.getJobId())
                        .setObserver(job.getObserver())
                        .setActionType(job.getActionType())
                        .setStatus(status)
                        .setAttempts(attempts)
                        .setCompletedAtMs(now.toEpochMilli())
                        .setDurationMs(durationMs)
                        .setLastStatus(lastStatus)
                        .setLastError(error)
                        .build();
        String topic = topics.outcomes();
        return new ProducerRecord<>(
                topic,
                job.getJobId().getBytes(StandardCharsets.UTF_8),
                outcomes.serialize(topic, outcome));
    }

    private static String spec(Job job) {
        return job.getObserver() + "/" + job.getActionType();
    }
}
