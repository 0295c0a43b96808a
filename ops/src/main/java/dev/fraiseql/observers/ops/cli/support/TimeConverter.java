package dev.fraiseql.observers.ops.cli.support;

import dev.fraiseql.observers.core.config.app.DurationText;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * Reads a point in time on the command line: an ISO-8601 instant ({@code 2026-12-04T10:00:00Z}) or
 * a duration meaning "that long ago" ({@code 90m}, {@code 2h}, {@code 7d}).
 */
public final class TimeConverter implements CommandLine.ITypeConverter<Instant> {
    private final Clock clock;

    /** A converter over the system clock (picocli creates it by class). */
    public TimeConverter() {
        this(Clock.systemUTC());
    }

    /** A converter over a given clock, for tests. */
    public TimeConverter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant convert(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return clock.instant().minus(DurationText.parse(value));
            } catch (IllegalArgumentException notADuration) {
                throw new CommandLine.TypeConversionException(
                        "'"
                                + value
                                + "' is neither an instant like 2026-12-04T10:00:00Z nor a"
                                + " duration ago like 2h");
            }
        }
    }
}
