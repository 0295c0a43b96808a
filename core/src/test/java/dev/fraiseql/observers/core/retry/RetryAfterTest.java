package dev.fraiseql.observers.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-12-04T16:00:00Z");

    @Test
    void seconds_are_read_as_a_delay() {
        assertThat(RetryAfter.parse("3", NOW)).contains(Duration.ofSeconds(3));
        assertThat(RetryAfter.parse(" 120 ", NOW)).contains(Duration.ofSeconds(120));
    }

    @Test
    void an_http_date_is_read_relative_to_now() {
        assertThat(RetryAfter.parse("Fri, 04 Dec 2026 16:00:45 GMT", NOW))
                .contains(Duration.ofSeconds(45));
    }

    @Test
    void a_date_in_the_past_means_now() {
        assertThat(RetryAfter.parse("Fri, 04 Dec 2026 15:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void an_unreadable_or_absent_header_is_ignored() {
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    }
}
