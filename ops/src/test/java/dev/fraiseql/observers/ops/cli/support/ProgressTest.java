package dev.fraiseql.observers.ops.cli.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private final AtomicLong millis = new AtomicLong(1_000_000);

        void advance(Duration by) {
            millis.addAndGet(by.toMillis());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    @Test
    void plainLinesShowDoneOfTotalRateAndTimeLeftOncePerInterval() {
        StringWriter text = new StringWriter();
        ManualClock clock = new ManualClock();
        Progress progress =
                new Progress(
                        new PrintWriter(text), "events", 5000, false, clock, Duration.ofSeconds(5));

        clock.advance(Duration.ofSeconds(2));
        progress.advance(800);
        clock.advance(Duration.ofSeconds(1));
        progress.advance(400);
        clock.advance(Duration.ofSeconds(7));
        progress.advance(800);
        progress.finish();

        assertThat(text.toString())
                .isEqualTo(
                        "events 800/5000 (16%), 400/s, 11s left\n"
                                + "events 2000/5000 (40%), 200/s, 15s left\n"
                                + "events 2000/5000 (40%), 200/s, 15s left\n");
    }

    @Test
    void onATerminalTheLineIsRewrittenInPlace() {
        StringWriter text = new StringWriter();
        ManualClock clock = new ManualClock();
        Progress progress =
                new Progress(new PrintWriter(text), "dead letters", 3, true, clock, Duration.ZERO);

        clock.advance(Duration.ofSeconds(1));
        progress.advance(3);
        progress.finish();

        assertThat(text.toString())
                .isEqualTo(
                        "\rdead letters 3/3 (100%), 3/s, 0s left\u001b[K"
                                + "\rdead letters 3/3 (100%), 3/s, 0s left\u001b[K"
                                + System.lineSeparator());
    }
}
