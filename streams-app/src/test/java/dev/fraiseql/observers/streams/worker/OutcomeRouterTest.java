package dev.fraiseql.observers.streams.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.action.ActionOutcome;
import dev.fraiseql.observers.core.action.ActionSpec;
import dev.fraiseql.observers.core.retry.RetryPolicy;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.JobOutcome;
import dev.fraiseql.observers.schemas.JobStatus;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import dev.fraiseql.observers.testing.SampleJobs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class OutcomeRouterTest {
    private static final RetryPolicy POLICY =
            new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0.0);
    private static final ActionSpec SPEC = new ActionSpec("webhook", Map.of(), POLICY);
    private static final Instant T0 = Instant.parse("2026-12-04T16:00:00Z");

    private final JobTopics topics = JobTopics.of("observers", List.of(POLICY));
    private final OutcomeRouter router =
            new OutcomeRouter(
                    topics,
                    ObserverSerdes.job().serializer(),
                    ObserverSerdes.jobOutcome().serializer(),
                    () -> 0.5,
                    Duration.ofSeconds(30));
    private final byte[] key = "{\"rental_id\":42}".getBytes(StandardCharsets.UTF_8);

    @Test
    void a_retriable_failure_goes_to_the_next_delay_topic_with_attempt_due_time_and_error() {
        OutcomeRouter.Input input = new OutcomeRouter.Input("observers.jobs", 2, 17L, key, null);
        ActionOutcome failure = ActionOutcome.retriable(503, "http_503", "busy");

        OutcomeRouter.Routed routed =
                router.route(
                        input,
                        SampleJobs.rentalReturned("job-1", 42),
                        SPEC,
                        failure,
                        T0,
                        T0.plusMillis(40));

        assertThat(routed.status()).isEqualTo(JobStatus.RETRY_SCHEDULED);
        ProducerRecord<byte[], byte[]> retry = routed.records().get(0);
        assertThat(retry.topic()).isEqualTo("observers.jobs.retry.1s");
        assertThat(retry.key()).isEqualTo(key);
        Job next = ObserverSerdes.job().deserializer().deserialize(retry.topic(), retry.value());
        assertThat(next.getAttempt()).isEqualTo(2);
        assertThat(next.getDueAtMs()).isEqualTo(T0.plusMillis(1040).toEpochMilli());
        assertThat(next.getLastStatus()).isEqualTo(503);
        assertThat(next.getLastError()).isEqualTo("http_503: busy");
        assertThat(next.getFirstFailureAtMs()).isEqualTo(T0.plusMillis(40).toEpochMilli());
        assertThat(headers(retry))
                .containsEntry(JobHeaders.ORIGIN_TOPIC, "observers.jobs")
                .containsEntry(JobHeaders.ORIGIN_PARTITION, "2")
                .containsEntry(JobHeaders.ORIGIN_OFFSET, "17");
    }

    @Test
    void the_last_attempt_dead_letters_with_every_failure_header_and_keeps_the_origin() {
        Job third = SampleJobs.rentalReturned("job-1", 42);
        third.setAttempt(3);
        third.setFirstFailureAtMs(T0.minusSeconds(3).toEpochMilli());
        RecordHeaders origin = new RecordHeaders();
        origin.add(JobHeaders.ORIGIN_TOPIC, "observers.jobs".getBytes(StandardCharsets.UTF_8));
        origin.add(JobHeaders.ORIGIN_PARTITION, "0".getBytes(StandardCharsets.UTF_8));
        origin.add(JobHeaders.ORIGIN_OFFSET, "5".getBytes(StandardCharsets.UTF_8));
        OutcomeRouter.Input input =
                new OutcomeRouter.Input("observers.jobs.retry.2s", 0, 9L, key, origin);

        OutcomeRouter.Routed routed =
                router.route(
                        input,
                        third,
                        SPEC,
                        ActionOutcome.retriable(500, "http_500", "oops"),
                        T0,
                        T0);

        assertThat(routed.status()).isEqualTo(JobStatus.DEAD_LETTERED);
        ProducerRecord<byte[], byte[]> dead = routed.records().get(0);
        assertThat(dead.topic()).isEqualTo("observers.jobs.dlq");
        assertThat(headers(dead))
                .containsEntry(JobHeaders.DLQ_REASON, "gave up after 3 attempts (max_attempts)")
                .containsEntry(JobHeaders.LAST_STATUS, "500")
                .containsEntry(JobHeaders.ERROR_CLASS, "http_500")
                .containsEntry(JobHeaders.RESPONSE_EXCERPT, "oops")
                .containsEntry(JobHeaders.ATTEMPTS, "3")
                .containsEntry(JobHeaders.FIRST_FAILURE, "2026-12-04T15:59:57Z")
                .containsEntry(JobHeaders.LAST_FAILURE, "2026-12-04T16:00:00Z")
                .containsEntry(JobHeaders.ORIGIN_TOPIC, "observers.jobs")
                .containsEntry(JobHeaders.ORIGIN_OFFSET, "5");
        JobOutcome outcome = outcome(routed.records().get(1));
        assertThat(outcome.getStatus()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(outcome.getAttempts()).isEqualTo(3);
        assertThat(new String(routed.records().get(1).key(), StandardCharsets.UTF_8))
                .isEqualTo("job-1");
    }

    @Test
    void a_deferral_keeps_the_attempt_number_and_waits_for_the_breaker() {
        OutcomeRouter.Input input = new OutcomeRouter.Input("observers.jobs", 0, 3L, key, null);

        OutcomeRouter.Routed routed =
                router.route(
                        input,
                        SampleJobs.rentalReturned("job-1", 42),
                        SPEC,
                        ActionOutcome.deferred("circuit breaker open for 127.0.0.1:9"),
                        T0,
                        T0);

        assertThat(routed.status()).isEqualTo(JobStatus.DEFERRED);
        Job same =
                ObserverSerdes.job()
                        .deserializer()
                        .deserialize("t", routed.records().get(0).value());
        assertThat(same.getAttempt()).isEqualTo(1);
        assertThat(same.getDueAtMs()).isEqualTo(T0.plusSeconds(30).toEpochMilli());
        assertThat(routed.records().get(0).topic()).isEqualTo("observers.jobs.retry.2s");
    }

    @Test
    void a_success_writes_only_the_delivered_outcome() {
        OutcomeRouter.Input input = new OutcomeRouter.Input("observers.jobs", 0, 3L, key, null);

        OutcomeRouter.Routed routed =
                router.route(
                        input,
                        SampleJobs.rentalReturned("job-1", 42),
                        SPEC,
                        ActionOutcome.success(204),
                        T0,
                        T0.plusMillis(12));

        assertThat(routed.records()).hasSize(1);
        JobOutcome outcome = outcome(routed.records().get(0));
        assertThat(outcome.getStatus()).isEqualTo(JobStatus.DELIVERED);
        assertThat(outcome.getAttempts()).isEqualTo(1);
        assertThat(outcome.getDurationMs()).isEqualTo(12);
        assertThat(outcome.getLastStatus()).isEqualTo(204);
    }

    @Test
    void an_unreadable_record_keeps_its_bytes_on_the_dlq() {
        OutcomeRouter.Input input = new OutcomeRouter.Input("observers.jobs", 1, 8L, key, null);
        byte[] garbage = {1, 2, 3};

        OutcomeRouter.Routed routed = router.unreadable(input, garbage, "bad marker", T0);

        ProducerRecord<byte[], byte[]> dead = routed.records().get(0);
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(headers(dead))
                .containsEntry(JobHeaders.DLQ_REASON, "unreadable job record: bad marker")
                .containsEntry(JobHeaders.ORIGIN_OFFSET, "8");
    }

    private static JobOutcome outcome(ProducerRecord<byte[], byte[]> record) {
        return ObserverSerdes.jobOutcome()
                .deserializer()
                .deserialize(record.topic(), record.value());
    }

    private static Map<String, String> headers(ProducerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }
}
