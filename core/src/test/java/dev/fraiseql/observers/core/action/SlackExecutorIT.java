package dev.fraiseql.observers.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.retry.RetryPolicy;
import dev.fraiseql.observers.testing.SampleJobs;
import dev.fraiseql.observers.testing.WebhookReceiver;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SlackExecutorIT {

    @Test
    void posts_the_rendered_text_as_an_escaped_json_message() throws Exception {
        try (WebhookReceiver slack = WebhookReceiver.start()) {
            SlackExecutor executor = new SlackExecutor(Clock.systemUTC());
            ActionSpec spec =
                    new ActionSpec(
                            "slack",
                            Map.of(
                                    "url",
                                    slack.url("/services/T0/B0/X").toString(),
                                    "text",
                                    "Rental {{key.rental_id}} back: {{after.note}}"),
                            RetryPolicy.DEFAULT);

            ActionOutcome outcome =
                    executor.execute(SampleJobs.rentalReturned("job-1", 42), spec)
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);

            assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.SUCCESS);
            assertThat(slack.requests().get(0).bodyText())
                    .isEqualTo("{\"text\":\"Rental 42 back: said \\\"thanks\\\"\\nand left\"}");
        }
    }
}
