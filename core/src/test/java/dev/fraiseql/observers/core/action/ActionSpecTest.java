package dev.fraiseql.observers.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.retry.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Printing an action never prints its credentials; problems about URLs do not either. */
class ActionSpecTest {
    private static final RetryPolicy RETRY =
            new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0.1);

    @Test
    void a_webhook_prints_its_url_but_not_its_secret_or_header_values() {
        ActionSpec spec =
                new ActionSpec(
                        "webhook",
                        Map.of(
                                "url", "https://hooks.example.test/rentals",
                                "secret", "whsec_c2VjcmV0LWtleS1ieXRlcw==",
                                "headers", Map.of("Authorization", "Bearer tok-7731")),
                        RETRY);

        assertThat(spec.toString())
                .contains("url=https://hooks.example.test/rentals")
                .contains("secret=[hidden]")
                .contains("headers={Authorization=[hidden]}")
                .doesNotContain("c2VjcmV0LWtleS1ieXRlcw")
                .doesNotContain("tok-7731");
    }

    @Test
    void a_slack_url_is_a_credential_and_other_urls_lose_their_user_info() {
        ActionSpec slack =
                new ActionSpec(
                        "slack",
                        Map.of(
                                "url",
                                "https://hooks.slack.com/services/T0/B0/xoxb-991",
                                "text",
                                "hi"),
                        RETRY);
        ActionSpec search =
                new ActionSpec(
                        "search",
                        Map.of(
                                "url", "https://elastic:pw-5521@search.internal:9200",
                                "index", "rentals",
                                "password", "pw-5521"),
                        RETRY);
        ActionSpec email =
                new ActionSpec(
                        "email",
                        Map.of("smtp_host", "smtp.example.test", "password", "smtp-pw-8812"),
                        RETRY);

        assertThat(slack.toString()).contains("url=[hidden]").doesNotContain("xoxb-991");
        assertThat(search.toString())
                .contains("url=https://[hidden]@search.internal:9200")
                .doesNotContain("pw-5521");
        assertThat(email.toString())
                .contains("smtp_host=smtp.example.test")
                .doesNotContain("smtp-pw-8812");
    }

    @Test
    void a_bad_slack_url_is_reported_without_its_text_and_a_bad_webhook_url_without_user_info() {
        var slack =
                new SlackExecutor(Clock.systemUTC())
                        .validate(
                                Map.of(
                                        "url",
                                        "hooks.slack.com/services/T0/B0/xoxb-991",
                                        "text",
                                        "hi"));
        var webhook =
                new WebhookExecutor(Clock.systemUTC())
                        .validate(Map.of("url", "ftp://bob:pw-4410@files.example.test/in"));

        assertThat(slack)
                .containsExactly(
                        "slack.url: [hidden] is not an http or https URL with a host; write it like"
                                + " https://hooks.slack.com/services/T000/B000/XXXX");
        assertThat(webhook)
                .containsExactly(
                        "webhook.url: 'ftp://[hidden]@files.example.test/in' is not an http or"
                                + " https URL with a host; write it like"
                                + " https://hooks.example.test/rentals");
    }
}
