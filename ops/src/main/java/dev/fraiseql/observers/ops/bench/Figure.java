package dev.fraiseql.observers.ops.bench;

import java.util.Locale;
import java.util.Objects;

/**
 * One measured figure, printed as {@code <name> <value> <unit>} on one line of standard output.
 *
 * @param name the figure's name, for example {@code topology_records_per_s}
 * @param value the measured value
 * @param unit the unit, for example {@code records/s}, {@code ms} or {@code ratio}
 */
record Figure(String name, double value, String unit) {
    Figure {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        if (name.isBlank() || name.contains(" ") || unit.isBlank() || unit.contains(" ")) {
            throw new IllegalArgumentException(
                    "a figure's name and unit are single words, got '" + name + "' '" + unit + "'");
        }
    }

    /** The printed line: whole numbers above 100 without decimals, smaller ones with two. */
    String line() {
        String text =
                Math.abs(value) >= 100
                        ? String.format(Locale.ROOT, "%.0f", value)
                        : String.format(Locale.ROOT, "%.2f", value);
        return name + " " + text + " " + unit;
    }
}
