package dev.fraiseql.observers.ops.cli;

import dev.fraiseql.observers.core.config.app.DurationText;
import java.time.Duration;
import picocli.CommandLine;

/** Reads {@code 30s}, {@code 5m}, {@code 2h} or ISO-8601 durations on the command line. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return DurationText.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
