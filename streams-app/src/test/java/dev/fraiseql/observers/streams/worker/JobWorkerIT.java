package dev.fraiseql.observers.streams.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fraiseql.observers.core.action.WebhookSigner;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.JobOutcome;
import dev.fraiseql.observers.schemas.JobStatus;
import dev.fraiseql.observers.testing.SampleJobs;
import dev.fraiseql.observers.testing.WebhookReceiver;
import dev.fraiseql.observers.testing.WebhookReceiver.Request;
import dev.fraiseql.observers.testing.WebhookReceiver.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The job worker against the shared in-process broker and a real HTTP receiver on loopback. */
class JobWorkerIT {
    private final JobQueueFixture fixture = new JobQueueFixture();
    private final WebhookReceiver receiver = WebhookReceiver.start();
    private JobWorker worker;

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close(Duration.ofSeconds(5));
        }
        receiver.close();
    }

    private void start(int maxAttempts) {
        worker =
                fixture.startWorker(
                        JobQueueFixture.webhook(receiver.url("/rentals").toString(), maxAttempts),
                        "w1");
        await().atMost(Duration.ofSeconds(30)).until(worker::isAssigned);
    }

    private JobOutcome finalOutcome(String jobId) {
        return fixture.outcomes().stream()
                .filter(o -> o.getJobId().equals(jobId))
                .filter(
                        o ->
                                o.getStatus() == JobStatus.DELIVERED
                                        || o.getStatus() == JobStatus.DEAD_LETTERED)
                .reduce((first, second) -> second)
                .orElse(null);
    }

    private JobOutcome awaitFinal(String jobId, Duration within) {
        return await().atMost(within)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> finalOutcome(jobId), o -> o != null);
    }

    private static void assertSignedWithSameId(List<Request> requests, String jobId) {
        WebhookSigner signer = WebhookSigner.forSecret(JobQueueFixture.SECRET);
        for (Request request : requests) {
            assertThat(request.header("webhook-id")).contains(jobId);
            long timestamp = Long.parseLong(request.header("webhook-timestamp").orElseThrow());
            assertThat(
                            signer.verify(
                                    jobId,
                                    timestamp,
                                    request.body(),
                                    request.header("webhook-signature").orElseThrow()))
                    .as("signature of request %d", request.number())
                    .isTrue();
        }
    }

    @Test
    void three_503s_then_200_delivers_on_attempt_4_after_about_1_2_and_4_seconds() {
        receiver.respond(
                Response.status(503),
                Response.status(503),
                Response.status(503),
                Response.status(200));
        start(5);

        fixture.send(SampleJobs.rentalReturned("job-backoff", 1));
        JobOutcome outcome = awaitFinal("job-backoff", Duration.ofSeconds(40));

        assertThat(outcome.getStatus()).isEqualTo(JobStatus.DELIVERED);
        assertThat(outcome.getAttempts()).isEqualTo(4);
        List<Request> requests = receiver.requests();
        assertThat(requests).hasSize(4);
        // Policy 1 s x 2 with 10% jitter; the upper bounds leave room for commit and poll latency.
        assertThat(requests.get(1).since(requests.get(0)))
                .isBetween(Duration.ofMillis(900), Duration.ofMillis(1900));
        assertThat(requests.get(2).since(requests.get(1)))
                .isBetween(Duration.ofMillis(1800), Duration.ofMillis(3000));
        assertThat(requests.get(3).since(requests.get(2)))
                .isBetween(Duration.ofMillis(3600), Duration.ofMillis(5200));
        assertSignedWithSameId(requests, "job-backoff");
        assertThat(requests).extracting(Request::bodyText).containsOnly(requests.get(0).bodyText());
        assertThat(fixture.outcomes())
                .extracting(JobOutcome::getStatus)
                .containsExactly(
                        JobStatus.RETRY_SCHEDULED,
                        JobStatus.RETRY_SCHEDULED,
                        JobStatus.RETRY_SCHEDULED,
                        JobStatus.DELIVERED);
    }

    @Test
    void a_429_with_retry_after_3_is_tried_again_no_sooner_than_3_seconds_later() {
        receiver.respond(Response.status(429).header("Retry-After", "3"), Response.status(200));
        start(5);

        fixture.send(SampleJobs.rentalReturned("job-429", 2));
        JobOutcome outcome = awaitFinal("job-429", Duration.ofSeconds(30));

        assertThat(outcome.getStatus()).isEqualTo(JobStatus.DELIVERED);
        assertThat(outcome.getAttempts()).isEqualTo(2);
        List<Request> requests = receiver.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).since(requests.get(0)))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void always_500_makes_exactly_max_attempts_then_one_dlq_record_with_every_header() {
        receiver.respond(Response.status(500).body("database is down"));
        start(3);

        fixture.send(SampleJobs.rentalReturned("job-500", 3));
        JobOutcome outcome = awaitFinal("job-500", Duration.ofSeconds(30));

        assertThat(outcome.getStatus()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(outcome.getAttempts()).isEqualTo(3);
        assertThat(receiver.requests()).hasSize(3);
        assertSignedWithSameId(receiver.requests(), "job-500");
        List<JobQueueFixture.Received> dead = fixture.deadLetters();
        assertThat(dead).hasSize(1);
        Map<String, String> headers = dead.get(0).headers();
        assertThat(headers)
                .containsEntry(JobHeaders.DLQ_REASON, "gave up after 3 attempts (max_attempts)")
                .containsEntry(JobHeaders.LAST_STATUS, "500")
                .containsEntry(JobHeaders.ERROR_CLASS, "http_500")
                .containsEntry(JobHeaders.RESPONSE_EXCERPT, "database is down")
                .containsEntry(JobHeaders.ATTEMPTS, "3")
                .containsEntry(JobHeaders.ORIGIN_TOPIC, fixture.prefix + ".jobs")
                .containsEntry(JobHeaders.ORIGIN_PARTITION, "0")
                .containsEntry(JobHeaders.ORIGIN_OFFSET, "0")
                .containsEntry(JobHeaders.JOB_ID, "job-500")
                .containsKeys(JobHeaders.FIRST_FAILURE, JobHeaders.LAST_FAILURE);
        Job job = dead.get(0).job();
        assertThat(job.getJobId()).isEqualTo("job-500");
        assertThat(job.getAttempt()).isEqualTo(3);
        assertThat(job.getLastFailureAtMs() - job.getFirstFailureAtMs()).isBetween(2700L, 5000L);
    }

    @Test
    void a_400_and_a_410_go_straight_to_the_dlq_without_retry() {
        receiver.respondWith(
                request ->
                        request.bodyText().contains("\"job_id\":\"job-400\"")
                                ? Response.status(400).body("missing field customer")
                                : Response.status(410).body("gone"));
        start(5);

        fixture.send(
                SampleJobs.rentalReturned("job-400", 4), SampleJobs.rentalReturned("job-410", 5));
        awaitFinal("job-400", Duration.ofSeconds(20));
        awaitFinal("job-410", Duration.ofSeconds(20));

        assertThat(receiver.requests()).hasSize(2);
        assertThat(fixture.deadLetters())
                .extracting(
                        r -> r.headers().get(JobHeaders.JOB_ID),
                        r -> r.headers().get(JobHeaders.LAST_STATUS),
                        r -> r.headers().get(JobHeaders.ATTEMPTS),
                        r -> r.headers().get(JobHeaders.DLQ_REASON))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "job-400", "400", "1", "permanent failure"),
                        org.assertj.core.groups.Tuple.tuple(
                                "job-410", "410", "1", "permanent failure"));
    }

    @Test
    void a_301_dead_letters_as_a_method_changing_redirect_and_a_307_is_followed_once() {
        receiver.respondWith(
                request -> {
                    if (request.path().equals("/rentals")
                            && request.bodyText().contains("job-301")) {
                        return Response.status(301).header("Location", "/elsewhere");
                    }
                    if (request.path().equals("/rentals")) {
                        return Response.status(307).header("Location", "/v2/rentals");
                    }
                    return Response.status(200);
                });
        start(5);

        fixture.send(SampleJobs.rentalReturned("job-301", 6));
        JobOutcome moved = awaitFinal("job-301", Duration.ofSeconds(20));
        fixture.send(SampleJobs.rentalReturned("job-307", 7));
        JobOutcome followed = awaitFinal("job-307", Duration.ofSeconds(20));

        assertThat(moved.getStatus()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(fixture.deadLetters())
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r.headers())
                                        .containsEntry(
                                                JobHeaders.ERROR_CLASS, "method-changing redirect")
                                        .containsEntry(JobHeaders.LAST_STATUS, "301"));
        assertThat(followed.getStatus()).isEqualTo(JobStatus.DELIVERED);
        List<Request> sevens =
                receiver.requests().stream().filter(r -> r.bodyText().contains("job-307")).toList();
        assertThat(sevens).extracting(Request::path).containsExactly("/rentals", "/v2/rentals");
        assertThat(sevens.get(1).body()).isEqualTo(sevens.get(0).body());
        assertThat(sevens.get(1).header("webhook-signature"))
                .isEqualTo(sevens.get(0).header("webhook-signature"));
        assertSignedWithSameId(sevens, "job-307");
    }

    @Test
    void a_slow_receiver_does_not_hold_back_later_jobs_of_the_same_partition() {
        receiver.respondWith(
                request ->
                        request.bodyText().contains("job-slow")
                                ? Response.status(200).after(Duration.ofSeconds(4))
                                : Response.status(200));
        start(5);

        fixture.send(
                SampleJobs.rentalReturned("job-slow", 8), SampleJobs.rentalReturned("job-fast", 9));
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests().size() == 2);

        assertThat(receiver.requests().get(1).since(receiver.requests().get(0)))
                .isLessThan(Duration.ofSeconds(2));
        assertThat(awaitFinal("job-fast", Duration.ofSeconds(20)).getStatus())
                .isEqualTo(JobStatus.DELIVERED);
        assertThat(awaitFinal("job-slow", Duration.ofSeconds(20)).getStatus())
                .isEqualTo(JobStatus.DELIVERED);
    }

    @Test
    void a_job_for_an_unknown_observer_is_dead_lettered_with_the_reason() {
        start(5);
        Job orphan = SampleJobs.rentalReturned("job-orphan", 10);
        orphan.setObserver("deleted-observer");

        fixture.send(orphan);
        awaitFinal("job-orphan", Duration.ofSeconds(20));

        assertThat(receiver.requests()).isEmpty();
        assertThat(fixture.deadLetters())
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r.headers().get(JobHeaders.DLQ_REASON))
                                        .isEqualTo(
                                                "observer 'deleted-observer' has no webhook action"
                                                        + " at index 0 (was it removed or"
                                                        + " reordered?)"));
    }
}
