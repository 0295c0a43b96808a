package dev.fraiseql.observers.streams.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobTopicsTest {
    private static final RetryPolicy FAST =
            new RetryPolicy(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0.1);
    private static final RetryPolicy SLOW =
            new RetryPolicy(4, Duration.ofMinutes(1), 3.0, Duration.ofMinutes(5), 0.2);

    @Test
    void one_retry_topic_per_distinct_nominal_delay_of_the_loaded_policies() {
        JobTopics topics = JobTopics.of("shop", List.of(FAST, SLOW, FAST));

        assertThat(topics.retryTopics().values())
                .containsExactly(
                        "shop.jobs.retry.1s",
                        "shop.jobs.retry.2s",
                        "shop.jobs.retry.4s",
                        "shop.jobs.retry.8s",
                        "shop.jobs.retry.1m",
                        "shop.jobs.retry.3m",
                        "shop.jobs.retry.5m");
        assertThat(topics.inputs()).first().isEqualTo("shop.jobs");
        assertThat(topics.deadLetter()).isEqualTo("shop.jobs.dlq");
        assertThat(topics.outcomes()).isEqualTo("shop.jobs.outcomes");
    }

    @Test
    void an_undeclared_delay_waits_in_the_shortest_topic_at_least_as_long() {
        JobTopics topics = JobTopics.of("observers", List.of(FAST));

        assertThat(topics.retryTopicFor(Duration.ofSeconds(3)))
                .isEqualTo("observers.jobs.retry.4s");
        assertThat(topics.retryTopicFor(Duration.ofSeconds(2)))
                .isEqualTo("observers.jobs.retry.2s");
        assertThat(topics.retryTopicFor(Duration.ofMinutes(30)))
                .isEqualTo("observers.jobs.retry.8s");
    }

    @Test
    void policies_that_never_retry_still_get_a_topic_for_deferrals() {
        JobTopics topics =
                JobTopics.of(
                        "observers",
                        List.of(
                                new RetryPolicy(
                                        1, Duration.ofSeconds(5), 1.0, Duration.ofSeconds(5), 0)));

        assertThat(topics.retryTopics().values()).containsExactly("observers.jobs.retry.1s");
    }

    @Test
    void declarations_compact_outcomes_and_keep_the_dlq() {
        JobTopics topics = JobTopics.of("observers", List.of(FAST));

        var declarations = topics.declarations(3, (short) 1);

        assertThat(declarations).hasSize(7);
        assertThat(declarations.get(declarations.size() - 1).configs())
                .containsEntry("cleanup.policy", "compact");
        assertThat(declarations.get(declarations.size() - 2).configs())
                .containsEntry("retention.ms", "-1");
    }
}
