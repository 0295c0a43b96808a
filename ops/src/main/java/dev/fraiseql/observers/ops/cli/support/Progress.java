package dev.fraiseql.observers.ops.cli.support;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress of long work: records done of total, the rate, and the time left. On a terminal the line
 * is rewritten in place; otherwise (a pipe, a log file) a plain line is written at most once per
 * interval, so logs stay readable.
 *
 * <p>Not thread-safe: one worker reports its own progress.
 */
public final class Progress {
    private final PrintWriter out;
    private final String label;
    private final long total;
    private final boolean inPlace;
    private final Clock clock;
    private final Duration interval;
    private final long startedMs;
    private long done;
    private long lastPrintedMs = Long.MIN_VALUE;

    /**
     * Progress printed to {@code out}.
     *
     * @param label what is counted, for example {@code events}
     * @param total how many records there are, at least 0
     * @param inPlace true on a terminal ({@code System.console() != null})
     * @param interval the least time between two printed updates
     */
    public Progress(
            PrintWriter out,
            String label,
            long total,
            boolean inPlace,
            Clock clock,
            Duration interval) {
        if (total < 0) {
            throw new IllegalArgumentException("total must be at least 0, was " + total);
        }
        this.out = out;
        this.label = label;
        this.total = total;
        this.inPlace = inPlace;
        this.clock = clock;
        this.interval = interval;
        this.startedMs = clock.millis();
    }

    /**
     * Progress for this process: in place when it runs on a terminal, one line per 5 s otherwise.
     */
    public static Progress forConsole(PrintWriter out, String label, long total) {
        boolean terminal = System.console() != null;
        return new Progress(
                out,
                label,
                total,
                terminal,
                Clock.systemUTC(),
                terminal ? Duration.ofMillis(200) : Duration.ofSeconds(5));
    }

    /** Counts records as done and prints when the interval has passed. */
    public void advance(long records) {
        done += records;
        long now = clock.millis();
        if (lastPrintedMs == Long.MIN_VALUE || now - lastPrintedMs >= interval.toMillis()) {
            lastPrintedMs = now;
            print(now);
        }
    }

    /** Prints the final state (and ends the in-place line). */
    public void finish() {
        print(clock.millis());
        if (inPlace) {
            out.println();
        }
        out.flush();
    }

    /** The line as printed now: {@code events 1200/5000 (24%), 400/s, 9s left}. */
    public String line() {
        return line(clock.millis());
    }

    private void print(long nowMs) {
        if (inPlace) {
            out.print("\r" + line(nowMs) + "\u001b[K");
        } else {
            out.println(line(nowMs));
        }
        out.flush();
    }

    private String line(long nowMs) {
        double seconds = Math.max(nowMs - startedMs, 1) / 1000.0;
        double rate = done / seconds;
        long percent = total == 0 ? 100 : Math.min(100, done * 100 / total);
        String left =
                rate <= 0 || done >= total
                        ? "0s"
                        : formatSeconds((long) Math.ceil((total - done) / rate));
        return String.format(
                Locale.ROOT,
                "%s %d/%d (%d%%), %.0f/s, %s left",
                label,
                done,
                total,
                percent,
                rate,
                left);
    }

    private static String formatSeconds(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + seconds % 60 + "s";
        }
        return seconds / 3600 + "h" + seconds % 3600 / 60 + "m";
    }
}
