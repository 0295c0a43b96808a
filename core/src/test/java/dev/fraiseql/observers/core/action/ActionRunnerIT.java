package dev.fraiseql.observers.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.retry.RetryPolicy;
import dev.fraiseql.observers.testing.SampleJobs;
import dev.fraiseql.observers.testing.WebhookReceiver;
import dev.fraiseql.observers.testing.WebhookReceiver.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ActionRunnerIT {
    private final WebhookReceiver receiver = WebhookReceiver.start();

    @AfterEach
    void stop() {
        receiver.close();
    }

    private ActionSpec webhook() {
        return new ActionSpec(
                "webhook", Map.of("url", receiver.url("/hook").toString()), RetryPolicy.DEFAULT);
    }

    @Test
    void an_open_breaker_defers_jobs_without_calling_the_host() throws Exception {
        receiver.respond(Response.status(503));
        ActionRunner runner =
                new ActionRunner(
                        List.of(new WebhookExecutor(Clock.systemUTC())),
                        new ActionRunner.Limits(8, 8, 50f, 4, Duration.ofMinutes(1)));

        for (int i = 0; i < 4; i++) {
            ActionOutcome failed =
                    runner.run(SampleJobs.rentalReturned("job-" + i, i), webhook())
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);
            assertThat(failed.kind()).isEqualTo(ActionOutcome.Kind.RETRIABLE);
        }
        ActionOutcome deferred =
                runner.run(SampleJobs.rentalReturned("job-5", 5), webhook())
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);

        assertThat(deferred.kind()).isEqualTo(ActionOutcome.Kind.DEFERRED);
        assertThat(deferred.excerpt())
                .isEqualTo("circuit breaker open for 127.0.0.1:" + receiver.port());
        assertThat(receiver.requests()).hasSize(4);
    }

    @Test
    void permanent_failures_do_not_open_the_breaker() throws Exception {
        receiver.respond(Response.status(400));
        ActionRunner runner =
                new ActionRunner(
                        List.of(new WebhookExecutor(Clock.systemUTC())),
                        new ActionRunner.Limits(8, 8, 50f, 2, Duration.ofMinutes(1)));

        for (int i = 0; i < 5; i++) {
            ActionOutcome outcome =
                    runner.run(SampleJobs.rentalReturned("job-" + i, i), webhook())
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);
            assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.PERMANENT);
        }

        assertThat(receiver.requests()).hasSize(5);
    }

    @Test
    void the_per_host_limit_holds_extra_jobs_until_a_slot_frees() throws Exception {
        receiver.respond(Response.status(200).after(Duration.ofMillis(500)));
        ActionRunner runner =
                new ActionRunner(
                        List.of(new WebhookExecutor(Clock.systemUTC())),
                        new ActionRunner.Limits(8, 2, 50f, 20, Duration.ofMinutes(1)));

        List<CompletableFuture<ActionOutcome>> outcomes =
                IntStream.range(0, 4)
                        .mapToObj(
                                i ->
                                        runner.run(
                                                        SampleJobs.rentalReturned("job-" + i, i),
                                                        webhook())
                                                .toCompletableFuture())
                        .toList();
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .get(20, TimeUnit.SECONDS);

        List<WebhookReceiver.Request> requests = receiver.requests();
        assertThat(outcomes).allSatisfy(o -> assertThat(o.join().isSuccess()).isTrue());
        assertThat(requests.get(1).since(requests.get(0))).isLessThan(Duration.ofMillis(400));
        assertThat(requests.get(2).since(requests.get(0)))
                .isGreaterThanOrEqualTo(Duration.ofMillis(450));
        assertThat(requests.get(3).since(requests.get(0)))
                .isGreaterThanOrEqualTo(Duration.ofMillis(450));
    }

    @Test
    void an_unknown_action_type_is_a_permanent_failure() throws Exception {
        ActionRunner runner =
                new ActionRunner(List.of(new LogExecutor()), ActionRunner.Limits.DEFAULT);

        ActionOutcome outcome =
                runner.run(
                                SampleJobs.rentalReturned("job-1", 1, "pager"),
                                new ActionSpec("pager", Map.of(), RetryPolicy.DEFAULT))
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);

        assertThat(outcome.describe())
                .isEqualTo("unknown-action: no executor for action type pager");
    }
}
