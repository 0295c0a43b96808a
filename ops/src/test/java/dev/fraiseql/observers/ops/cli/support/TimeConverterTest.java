package dev.fraiseql.observers.ops.cli.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TimeConverterTest {
    private final TimeConverter converter =
            new TimeConverter(Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC));

    @Test
    void readsAnInstantOrADurationAgo() {
        assertThat(converter.convert("2026-12-01T08:30:00Z"))
                .isEqualTo(Instant.parse("2026-12-01T08:30:00Z"));
        assertThat(converter.convert("90m")).isEqualTo(Instant.parse("2026-12-04T10:30:00Z"));
    }

    @Test
    void rejectsTextThatIsNeitherWithBothForms() {
        assertThatThrownBy(() -> converter.convert("yesterday"))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessage(
                        "'yesterday' is neither an instant like 2026-12-04T10:00:00Z nor a"
                                + " duration ago like 2h");
    }
}
