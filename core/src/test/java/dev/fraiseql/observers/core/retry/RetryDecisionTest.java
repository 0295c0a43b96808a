package dev.fraiseql.observers.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryDecisionTest {
    private static final RetryPolicy ONE_SECOND_DOUBLING =
            new RetryPolicy(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0.2);

    @Test
    void delays_double_from_the_initial_delay_and_name_the_topic_without_jitter() {
        RetryDecision afterFirst =
                RetryDecision.after(ONE_SECOND_DOUBLING, 1, true, null, () -> 0.5);
        RetryDecision afterThird =
                RetryDecision.after(ONE_SECOND_DOUBLING, 3, true, null, () -> 0.5);

        assertThat(afterFirst.retry()).isTrue();
        assertThat(afterFirst.delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(afterFirst.nominalDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(afterThird.delay()).isEqualTo(Duration.ofSeconds(4));
        assertThat(afterThird.nominalDelay()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void jitter_spreads_the_delay_by_at_most_the_configured_fraction() {
        RetryDecision lowest = RetryDecision.after(ONE_SECOND_DOUBLING, 2, true, null, () -> 0.0);
        RetryDecision highest =
                RetryDecision.after(ONE_SECOND_DOUBLING, 2, true, null, () -> 0.999999);

        assertThat(lowest.delay()).isEqualTo(Duration.ofMillis(1600));
        assertThat(highest.delay()).isEqualTo(Duration.ofMillis(2400));
        assertThat(lowest.nominalDelay()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void jitter_never_pushes_a_delay_past_max_delay() {
        RetryPolicy policy =
                new RetryPolicy(10, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(8), 0.5);

        RetryDecision decision = RetryDecision.after(policy, 6, true, null, () -> 0.999);

        assertThat(decision.nominalDelay()).isEqualTo(Duration.ofSeconds(8));
        assertThat(decision.delay()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void the_last_allowed_attempt_goes_to_the_dead_letter_topic() {
        RetryDecision decision = RetryDecision.after(ONE_SECOND_DOUBLING, 5, true, null, () -> 0.5);

        assertThat(decision.retry()).isFalse();
        assertThat(decision.deadLetterReason())
                .isEqualTo("gave up after 5 attempts (max_attempts)");
    }

    @Test
    void a_permanent_failure_is_never_retried() {
        RetryDecision decision =
                RetryDecision.after(ONE_SECOND_DOUBLING, 1, false, null, () -> 0.5);

        assertThat(decision.retry()).isFalse();
        assertThat(decision.deadLetterReason()).isEqualTo("permanent failure");
    }

    @Test
    void retry_after_longer_than_the_policy_delay_wins() {
        RetryDecision decision =
                RetryDecision.after(ONE_SECOND_DOUBLING, 1, true, Duration.ofSeconds(3), () -> 0.5);

        assertThat(decision.delay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(decision.nominalDelay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retry_after_beyond_max_delay_dead_letters_with_that_reason() {
        RetryDecision decision =
                RetryDecision.after(
                        ONE_SECOND_DOUBLING, 1, true, Duration.ofSeconds(3600), () -> 0.5);

        assertThat(decision.retry()).isFalse();
        assertThat(decision.deadLetterReason())
                .isEqualTo("Retry-After of 3600 s exceeds max_delay of 10 s");
    }
}
