package dev.fraiseql.observers.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.retry.RetryPolicy;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.Operation;
import dev.fraiseql.observers.testing.SampleJobs;
import dev.fraiseql.observers.testing.WebhookReceiver;
import dev.fraiseql.observers.testing.WebhookReceiver.Response;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The exact bulk exchange, against a loopback server answering like Elasticsearch 8. */
class SearchExecutorIT {
    private final WebhookReceiver search = WebhookReceiver.start();
    private final SearchExecutor executor = new SearchExecutor(Clock.systemUTC());

    @AfterEach
    void stop() {
        search.close();
    }

    private ActionSpec spec() {
        return new ActionSpec(
                "search",
                Map.of(
                        "url", search.url("/").toString(),
                        "index", "rentals",
                        "username", "elastic",
                        "password", "changeme"),
                RetryPolicy.DEFAULT);
    }

    private ActionOutcome run(Job job) throws Exception {
        return executor.execute(job, spec()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void an_update_indexes_the_row_after_the_change_under_the_key() throws Exception {
        search.respond(
                Response.status(200)
                        .header("Content-Type", "application/json")
                        .body(
                                "{\"took\":3,\"errors\":false,\"items\":[{\"index\":{\"_index\":\"rentals\","
                                    + "\"_id\":\"42\",\"result\":\"updated\",\"status\":200}}]}"));

        ActionOutcome outcome = run(SampleJobs.rentalReturned("job-1", 42));

        assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.SUCCESS);
        WebhookReceiver.Request request = search.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/_bulk");
        assertThat(request.header("content-type")).contains("application/x-ndjson");
        assertThat(request.header("authorization")).contains("Basic ZWxhc3RpYzpjaGFuZ2VtZQ==");
        assertThat(request.bodyText())
                .isEqualTo(
                        "{\"index\":{\"_index\":\"rentals\",\"_id\":\"42\"}}\n"
                            + "{\"rental_id\":42,\"return_date\":\"2026-12-04T10:15:30.123456Z\",\"amount\":4.99,\"note\":\"said"
                            + " \\\"thanks\\\"\\n"
                            + "and left\"}\n");
    }

    @Test
    void a_delete_event_deletes_the_document_and_an_already_missing_one_is_a_success()
            throws Exception {
        Job job = SampleJobs.rentalReturned("job-2", 43);
        job.getEvent().setOp(Operation.DELETE);
        job.getEvent().setAfter(null);
        search.respond(
                Response.status(200)
                        .body(
                                "{\"took\":1,\"errors\":true,\"items\":[{\"delete\":{\"_index\":\"rentals\","
                                    + "\"_id\":\"43\",\"result\":\"not_found\",\"status\":404}}]}"));

        ActionOutcome outcome = run(job);

        assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.SUCCESS);
        assertThat(search.requests().get(0).bodyText())
                .isEqualTo("{\"delete\":{\"_index\":\"rentals\",\"_id\":\"43\"}}\n");
    }

    @Test
    void a_rejected_item_inside_a_200_is_classified_by_its_own_status() throws Exception {
        search.respond(
                Response.status(200)
                        .body(
                                "{\"errors\":true,\"items\":[{\"index\":{\"status\":429,\"error\":"
                                    + "{\"type\":\"es_rejected_execution_exception\",\"reason\":\"queue"
                                    + " full\"}}}]}"),
                Response.status(200)
                        .body(
                                "{\"errors\":true,\"items\":[{\"index\":{\"status\":400,\"error\":"
                                    + "{\"type\":\"mapper_parsing_exception\",\"reason\":\"failed"
                                    + " to parse field [amount]\"}}}]}"));

        ActionOutcome busy = run(SampleJobs.rentalReturned("job-3", 44));
        ActionOutcome rejected = run(SampleJobs.rentalReturned("job-3", 44));

        assertThat(busy.kind()).isEqualTo(ActionOutcome.Kind.RETRIABLE);
        assertThat(busy.describe())
                .isEqualTo("bulk_item_429: es_rejected_execution_exception: queue full");
        assertThat(rejected.kind()).isEqualTo(ActionOutcome.Kind.PERMANENT);
        assertThat(rejected.status()).isEqualTo(400);
    }
}
