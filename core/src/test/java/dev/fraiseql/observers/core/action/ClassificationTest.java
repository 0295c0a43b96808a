package dev.fraiseql.observers.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ClassificationTest {

    @Test
    void timeouts_connection_errors_408_429_and_5xx_are_retriable_by_default() {
        Classification classification = Classification.DEFAULT;

        assertThat(List.of(408, 429, 500, 502, 503, 504, 599))
                .allSatisfy(status -> assertThat(classification.isRetriable(status)).isTrue());
        assertThat(classification.ofException(new HttpTimeoutException("request timed out")))
                .extracting(ActionOutcome::kind, ActionOutcome::errorClass)
                .containsExactly(ActionOutcome.Kind.RETRIABLE, "timeout");
        assertThat(
                        classification.ofException(
                                new CompletionException(new ConnectException("refused"))))
                .extracting(ActionOutcome::kind, ActionOutcome::errorClass)
                .containsExactly(ActionOutcome.Kind.RETRIABLE, "connection");
    }

    @Test
    void other_4xx_are_permanent_and_2xx_succeed() {
        Classification classification = Classification.DEFAULT;

        assertThat(classification.ofStatus(400, "bad", null).kind())
                .isEqualTo(ActionOutcome.Kind.PERMANENT);
        assertThat(classification.ofStatus(410, "gone", null).kind())
                .isEqualTo(ActionOutcome.Kind.PERMANENT);
        assertThat(classification.ofStatus(204, "", null).kind())
                .isEqualTo(ActionOutcome.Kind.SUCCESS);
    }

    @Test
    void options_move_statuses_either_way_and_can_stop_timeout_retries() {
        OptionReader reader =
                new OptionReader(
                        "webhook",
                        Map.of(
                                "retry_on_status", List.of(409),
                                "fail_on_status", List.of(503),
                                "retry_on_timeout", false));
        Classification classification = Classification.read(reader);

        assertThat(reader.problems()).isEmpty();
        assertThat(classification.isRetriable(409)).isTrue();
        assertThat(classification.isRetriable(503)).isFalse();
        assertThat(classification.ofException(new HttpTimeoutException("slow")).kind())
                .isEqualTo(ActionOutcome.Kind.PERMANENT);
    }

    @Test
    void a_status_in_both_lists_is_reported() {
        OptionReader reader =
                new OptionReader(
                        "webhook",
                        Map.of("retry_on_status", List.of(503), "fail_on_status", List.of("503")));

        Classification.read(reader);

        assertThat(reader.problems())
                .containsExactly(
                        "webhook.retry_on_status: status 503 is also in fail_on_status; keep it in"
                                + " one of them");
    }

    @Test
    void retry_after_is_kept_on_a_retriable_answer_and_the_excerpt_is_bounded() {
        ActionOutcome outcome =
                Classification.DEFAULT.ofStatus(429, "x".repeat(5000), Duration.ofSeconds(3));

        assertThat(outcome.retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(outcome.excerpt()).hasSize(ActionOutcome.MAX_EXCERPT).endsWith("...");
    }
}
