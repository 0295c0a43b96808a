package dev.fraiseql.observers.streams.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fraiseql.observers.core.action.ActionOutcome;
import dev.fraiseql.observers.core.action.ActionSpec;
import dev.fraiseql.observers.core.retry.RetryPolicy;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.JobOutcome;
import dev.fraiseql.observers.schemas.JobStatus;
import dev.fraiseql.observers.testing.BadReceiver;
import dev.fraiseql.observers.testing.BadReceiver.Behaviour;
import dev.fraiseql.observers.testing.SampleJobs;
import dev.fraiseql.observers.testing.WebhookReceiver;
import dev.fraiseql.observers.testing.WebhookReceiver.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Receivers that misbehave, on real loopback sockets, through the real webhook executor and job
 * worker: each bad job ends in the DLQ with the reason, and a good job sent right after it is
 * delivered while the bad one is still failing, so one receiver cannot stop the worker.
 */
class BadReceiversIT {
    private static final String BAD = "bad-receiver";
    private static final String GOOD = "good-receiver";

    private final JobQueueFixture fixture = new JobQueueFixture();
    private final WebhookReceiver good = WebhookReceiver.start();
    private JobWorker worker;

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close(Duration.ofSeconds(5));
        }
        good.close();
    }

    /** A webhook to a URL with a 1 s request timeout and 2 attempts 1 s apart. */
    private static ActionSpec webhook(String url, int maxAttempts) {
        return new ActionSpec(
                "webhook",
                Map.of("url", url, "secret", JobQueueFixture.SECRET, "timeout", "1s"),
                new RetryPolicy(maxAttempts, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(5), 0));
    }

    private void start(String badUrl, int maxAttempts) {
        worker =
                fixture.startWorker(
                        Map.of(
                                BAD, List.of(webhook(badUrl, maxAttempts)),
                                GOOD, List.of(webhook(good.url("/good").toString(), 2))),
                        "w1");
        await().atMost(Duration.ofSeconds(30)).until(worker::isAssigned);
    }

    private static Job job(String jobId, String observer, long rentalId) {
        Job job = SampleJobs.rentalReturned(jobId, rentalId);
        job.setObserver(observer);
        return job;
    }

    private JobOutcome awaitFinal(String jobId, Duration within) {
        return await().atMost(within)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () ->
                                fixture.outcomes().stream()
                                        .filter(o -> o.getJobId().equals(jobId))
                                        .filter(
                                                o ->
                                                        o.getStatus() == JobStatus.DELIVERED
                                                                || o.getStatus()
                                                                        == JobStatus.DEAD_LETTERED)
                                        .reduce((first, second) -> second)
                                        .orElse(null),
                        o -> o != null);
    }

    /** Sends the bad job, then a good one; the good one is delivered before the bad one ends. */
    private Map<String, String> badThenGood(String badId, String goodId, Duration within) {
        fixture.send(job(badId, BAD, 1), job(goodId, GOOD, 2));

        JobOutcome delivered = awaitFinal(goodId, within);
        assertThat(delivered.getStatus()).isEqualTo(JobStatus.DELIVERED);
        JobOutcome dead = awaitFinal(badId, within);
        assertThat(dead.getStatus()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(good.requests())
                .singleElement()
                .satisfies(r -> assertThat(r.header("webhook-id")).contains(goodId));
        assertThat(worker.state()).isEqualTo(JobWorker.State.RUNNING);
        return fixture.deadLetters().stream()
                .filter(r -> badId.equals(r.headers().get(JobHeaders.JOB_ID)))
                .findFirst()
                .orElseThrow()
                .headers();
    }

    @Test
    void a_receiver_that_never_answers_times_out_is_retried_and_dead_lettered_as_timeout() {
        try (BadReceiver bad = BadReceiver.start(Behaviour.HANG)) {
            start(bad.url("/hang").toString(), 2);

            Map<String, String> headers = badThenGood("job-hang", "job-after-hang", secs(30));

            assertThat(bad.requests()).isEqualTo(2);
            assertThat(headers)
                    .containsEntry(JobHeaders.ERROR_CLASS, "timeout")
                    .containsEntry(JobHeaders.ATTEMPTS, "2")
                    .containsEntry(
                            JobHeaders.DLQ_REASON, "gave up after 2 attempts (max_attempts)");
            assertThat(headers.get(JobHeaders.RESPONSE_EXCERPT)).contains("timed out");
        }
    }

    @Test
    void a_receiver_that_stalls_inside_its_answer_body_times_out_too() {
        // Regression: the client's request timeout ends once the status line arrives, so a body
        // that never finishes held the job (and its worker slot) forever.
        try (BadReceiver bad = BadReceiver.start(Behaviour.HANG_IN_BODY)) {
            start(bad.url("/stall").toString(), 2);

            Map<String, String> headers = badThenGood("job-stall", "job-after-stall", secs(30));

            assertThat(bad.requests()).isEqualTo(2);
            assertThat(headers)
                    .containsEntry(JobHeaders.ERROR_CLASS, "timeout")
                    .containsEntry(JobHeaders.ATTEMPTS, "2");
        }
    }

    @Test
    void a_receiver_that_resets_the_connection_after_reading_the_body_is_retried_then_dlqd() {
        try (BadReceiver bad = BadReceiver.start(Behaviour.RESET_AFTER_BODY)) {
            start(bad.url("/reset").toString(), 3);

            Map<String, String> headers = badThenGood("job-reset", "job-after-reset", secs(40));

            assertThat(bad.requests()).isEqualTo(3);
            assertThat(headers)
                    .containsEntry(JobHeaders.ERROR_CLASS, "connection")
                    .containsEntry(JobHeaders.ATTEMPTS, "3")
                    .containsEntry(
                            JobHeaders.DLQ_REASON, "gave up after 3 attempts (max_attempts)");
            assertThat(headers.get(JobHeaders.RESPONSE_EXCERPT))
                    .startsWith("the receiver closed or reset the connection without answering");
        }
    }

    @Test
    void a_2_mib_error_page_keeps_a_bounded_excerpt_in_the_outcome_and_dlq_headers() {
        try (BadReceiver bad = BadReceiver.start(Behaviour.HUGE_BODY, 2L << 20)) {
            start(bad.url("/huge").toString(), 2);

            Map<String, String> headers = badThenGood("job-huge", "job-after-huge", secs(30));

            assertThat(bad.requests()).isEqualTo(2);
            assertThat(headers)
                    .containsEntry(JobHeaders.ERROR_CLASS, "http_500")
                    .containsEntry(JobHeaders.LAST_STATUS, "500");
            String excerpt = headers.get(JobHeaders.RESPONSE_EXCERPT);
            assertThat(excerpt).startsWith("huge error page xxxx").endsWith("...");
            assertThat(excerpt.length()).isEqualTo(ActionOutcome.MAX_EXCERPT);
            assertThat(fixture.outcomes())
                    .filteredOn(o -> o.getJobId().equals("job-huge"))
                    .allSatisfy(
                            o ->
                                    assertThat(o.getLastError().length())
                                            .isLessThanOrEqualTo(ActionOutcome.MAX_EXCERPT));
        }
    }

    @Test
    void the_executor_stops_reading_an_endless_answer_instead_of_buffering_it() {
        // 256 MiB announced: far beyond what socket buffers hold. If the worker read it all it
        // could be buffering it; it stops after a small bounded prefix and closes the connection.
        long announced = 256L << 20;
        try (BadReceiver bad = BadReceiver.start(Behaviour.HUGE_BODY, announced)) {
            start(bad.url("/endless").toString(), 1);

            Map<String, String> headers = badThenGood("job-endless", "job-after-endless", secs(30));

            assertThat(headers).containsEntry(JobHeaders.ERROR_CLASS, "http_500");
            assertThat(headers.get(JobHeaders.RESPONSE_EXCERPT)).startsWith("huge error page");
            assertThat(bad.bodyBytesWritten()).isLessThan(32L << 20);
        }
    }

    @Test
    void a_redirect_loop_stops_after_the_hop_limit_and_dead_letters_with_the_reason() {
        try (WebhookReceiver loop = WebhookReceiver.start()) {
            loop.respond(Response.status(307).header("Location", "/loop"));
            start(loop.url("/loop").toString(), 5);

            Map<String, String> headers = badThenGood("job-loop", "job-after-loop", secs(30));

            // One request and 5 followed hops, then a permanent failure: no retry of a loop.
            assertThat(loop.requests()).hasSize(6);
            assertThat(headers)
                    .containsEntry(JobHeaders.ERROR_CLASS, "too many redirects")
                    .containsEntry(JobHeaders.LAST_STATUS, "307")
                    .containsEntry(JobHeaders.ATTEMPTS, "1")
                    .containsEntry(JobHeaders.DLQ_REASON, "permanent failure")
                    .containsEntry(JobHeaders.RESPONSE_EXCERPT, "more than 5 hops");
        }
    }

    private static Duration secs(int seconds) {
        return Duration.ofSeconds(seconds);
    }
}
