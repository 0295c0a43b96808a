package dev.fraiseql.observers.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.retry.RetryPolicy;
import dev.fraiseql.observers.testing.SampleJobs;
import dev.fraiseql.observers.testing.WebhookReceiver;
import dev.fraiseql.observers.testing.WebhookReceiver.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookExecutorIT {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-12-04T16:00:00Z"), ZoneOffset.UTC);

    private final WebhookReceiver receiver = WebhookReceiver.start();
    private final WebhookExecutor executor = new WebhookExecutor(CLOCK);

    @AfterEach
    void stop() {
        receiver.close();
    }

    private ActionSpec spec(Map<String, Object> extra) {
        Map<String, Object> options = new java.util.HashMap<>(extra);
        options.put("url", receiver.url("/rentals").toString());
        options.put("secret", SECRET);
        return new ActionSpec("webhook", options, RetryPolicy.DEFAULT);
    }

    private ActionOutcome run(ActionSpec spec) throws Exception {
        return executor.execute(SampleJobs.rentalReturned("job-42", 42), spec)
                .toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
    }

    @Test
    void a_delivery_is_a_signed_json_post_with_the_job_id_and_custom_headers() throws Exception {
        ActionOutcome outcome = run(spec(Map.of("headers", Map.of("X-Tenant", "store-1"))));

        assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.SUCCESS);
        WebhookReceiver.Request request = receiver.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("content-type")).contains("application/json");
        assertThat(request.header("x-tenant")).contains("store-1");
        assertThat(request.header("webhook-id")).contains("job-42");
        assertThat(request.header("webhook-timestamp")).contains("1796400000");
        assertThat(request.bodyText())
                .startsWith("{\"job_id\":\"job-42\",\"observer\":\"rental-returned\"");
        assertThat(request.bodyText()).contains("\"commit_lsn\":23803720,\"change_lsn\":23803808");
        assertThat(
                        WebhookSigner.forSecret(SECRET)
                                .verify(
                                        "job-42",
                                        1796400000L,
                                        request.body(),
                                        request.header("webhook-signature").get()))
                .isTrue();
    }

    @Test
    void a_503_with_retry_after_is_retriable_and_keeps_the_delay_and_excerpt() throws Exception {
        receiver.respond(
                Response.status(503).header("Retry-After", "7").body("maintenance until noon"));

        ActionOutcome outcome = run(spec(Map.of()));

        assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.RETRIABLE);
        assertThat(outcome.status()).isEqualTo(503);
        assertThat(outcome.errorClass()).isEqualTo("http_503");
        assertThat(outcome.excerpt()).isEqualTo("maintenance until noon");
        assertThat(outcome.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void a_410_is_permanent() throws Exception {
        receiver.respond(Response.status(410).body("endpoint removed"));

        ActionOutcome outcome = run(spec(Map.of()));

        assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.PERMANENT);
        assertThat(outcome.describe()).isEqualTo("http_410: endpoint removed");
    }

    @Test
    void a_301_is_a_permanent_method_changing_redirect_and_is_not_followed() throws Exception {
        receiver.respond(Response.status(301).header("Location", "/moved"));

        ActionOutcome outcome = run(spec(Map.of()));

        assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.PERMANENT);
        assertThat(outcome.errorClass()).isEqualTo("method-changing redirect");
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void a_307_is_followed_once_with_the_same_method_body_and_signature() throws Exception {
        receiver.respond(
                Response.status(307).header("Location", "/v2/rentals"), Response.status(204));

        ActionOutcome outcome = run(spec(Map.of()));

        assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.SUCCESS);
        List<WebhookReceiver.Request> requests = receiver.requests();
        assertThat(requests)
                .extracting(WebhookReceiver.Request::path)
                .containsExactly("/rentals", "/v2/rentals");
        assertThat(requests.get(1).method()).isEqualTo("POST");
        assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
        assertThat(requests.get(1).header("webhook-signature"))
                .isEqualTo(requests.get(0).header("webhook-signature"));
    }

    @Test
    void a_redirect_to_another_host_is_refused() throws Exception {
        receiver.respond(
                Response.status(308)
                        .header("Location", "http://localhost:" + receiver.port() + "/x"));

        ActionOutcome outcome = run(spec(Map.of()));

        assertThat(outcome.errorClass()).isEqualTo("redirect to another host");
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void more_than_five_redirects_fail_permanently() throws Exception {
        receiver.respond(Response.status(307).header("Location", "/again"));

        ActionOutcome outcome = run(spec(Map.of()));

        assertThat(outcome.errorClass()).isEqualTo("too many redirects");
        assertThat(receiver.requests()).hasSize(1 + WebhookExecutor.MAX_REDIRECTS);
    }

    @Test
    void a_receiver_slower_than_the_timeout_is_a_retriable_timeout() throws Exception {
        receiver.respond(Response.status(200).after(Duration.ofSeconds(3)));

        ActionOutcome outcome = run(spec(Map.of("timeout", "300ms")));

        assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.RETRIABLE);
        assertThat(outcome.errorClass()).isEqualTo("timeout");
    }

    @Test
    void a_refused_connection_is_retriable() throws Exception {
        int port = receiver.port();
        receiver.close();
        ActionSpec spec =
                new ActionSpec(
                        "webhook",
                        Map.of("url", "http://127.0.0.1:" + port + "/x"),
                        RetryPolicy.DEFAULT);

        ActionOutcome outcome = run(spec);

        assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.RETRIABLE);
        assertThat(outcome.errorClass()).isEqualTo("connection");
    }

    @Test
    void bad_options_are_all_reported_without_echoing_the_secret() {
        List<String> problems =
                executor.validate(
                        Map.of(
                                "url", "ftp://x", "secret", "s3cr3t", "timeout", "soon", "retries",
                                3));

        assertThat(problems)
                .containsExactly(
                        "webhook.url: 'ftp://x' is not an http or https URL with a host; write it"
                                + " like https://hooks.example.test/rentals",
                        "webhook.secret: the secret [hidden] must start with whsec_ followed by"
                                + " base64 key bytes",
                        "webhook.timeout: 'soon' is not a duration; write it like 500ms, 10s, 2m or"
                                + " 1h",
                        "webhook.retries: unknown option; known options are [url, secret, headers,"
                                + " timeout, allow_link_local, retry_on_status, fail_on_status,"
                                + " retry_on_timeout, retry_on_connection_error]");
        assertThat(String.join(" ", problems)).doesNotContain("s3cr3t");
    }
}
