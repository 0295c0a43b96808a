package dev.fraiseql.observers.core.config.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {
    @Test
    void shortFormsParseToTheirDurations() {
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationText.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationText.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(DurationText.parse(" 7d ")).isEqualTo(Duration.ofDays(7));
        assertThat(DurationText.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void unknownUnitIsRejected() {
        assertThatThrownBy(() -> DurationText.parse("3 weeks"))
                .hasMessage("expected a duration such as 500ms, 30s, 5m, 24h, 7d or PT30S");
    }

    @Test
    void formatUsesTheLargestExactUnit() {
        assertThat(DurationText.format(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(DurationText.format(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    @Test
    void retryTopicIsNamedByItsDelay() {
        TopicNames names = new TopicNames("observers");

        assertThat(names.jobsRetry(Duration.ofSeconds(30))).isEqualTo("observers.jobs.retry.30s");
        assertThat(names.jobsRetry(Duration.ofMinutes(10))).isEqualTo("observers.jobs.retry.10m");
        assertThat(names.jobsOutcomes()).isEqualTo("observers.jobs.outcomes");
    }
}
