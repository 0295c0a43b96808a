package dev.fraiseql.observers.ops.demo;

import java.util.ArrayList;
import java.util.List;

/** What the demo measured: one value per figure of the summary line. */
record Counts(
        long changes,
        long events,
        long duplicates,
        long jobs,
        long delivered,
        long retried,
        long deadLettered) {
    static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0);

    /** True once every expected change, event and job has arrived and every job has finished. */
    boolean reached(Expectation expected) {
        return changes >= expected.changes()
                && events >= expected.changes()
                && jobs >= expected.jobs()
                && retried >= expected.retried()
                && delivered + deadLettered >= expected.jobs();
    }

    /** What is still missing, in words. */
    String missing(Expectation expected) {
        List<String> missing = new ArrayList<>();
        if (changes < expected.changes()) {
            missing.add((expected.changes() - changes) + " changes");
        }
        if (events < expected.changes()) {
            missing.add((expected.changes() - events) + " events");
        }
        if (jobs < expected.jobs()) {
            missing.add((expected.jobs() - jobs) + " jobs");
        }
        if (delivered + deadLettered < expected.jobs()) {
            missing.add((expected.jobs() - delivered - deadLettered) + " finished jobs");
        }
        if (retried < expected.retried()) {
            missing.add((expected.retried() - retried) + " retries");
        }
        return String.join(", ", missing);
    }

    /** Where the measurement differs from what the workload did. */
    List<String> differences(Expectation expected) {
        List<String> differences = new ArrayList<>();
        compare(differences, "changes", changes, expected.changes());
        compare(differences, "events", events, expected.changes());
        compare(differences, "duplicates", duplicates, 0);
        compare(differences, "jobs", jobs, expected.jobs());
        compare(differences, "delivered", delivered, expected.delivered());
        compare(differences, "retried", retried, expected.retried());
        compare(differences, "dead_lettered", deadLettered, expected.deadLettered());
        return differences;
    }

    /** The changes since the previous measurement, for the running output. */
    String describe(Counts previous) {
        List<String> parts = new ArrayList<>();
        add(parts, "changes captured", changes, previous.changes);
        add(parts, "events", events, previous.events);
        add(parts, "duplicates dropped", duplicates, previous.duplicates);
        add(parts, "jobs", jobs, previous.jobs);
        add(parts, "delivered", delivered, previous.delivered);
        add(parts, "retried", retried, previous.retried);
        add(parts, "dead-lettered", deadLettered, previous.deadLettered);
        return String.join(", ", parts);
    }

    /** The machine-readable last line. */
    String summaryLine() {
        return "summary changes="
                + changes
                + " events="
                + events
                + " duplicates="
                + duplicates
                + " jobs="
                + jobs
                + " delivered="
                + delivered
                + " retried="
                + retried
                + " dead_lettered="
                + deadLettered;
    }

    private static void compare(List<String> into, String name, long measured, long expected) {
        if (measured != expected) {
            into.add(name + ": measured " + measured + ", the workload implies " + expected);
        }
    }

    private static void add(List<String> into, String name, long now, long before) {
        if (now != before) {
            into.add(name + " +" + (now - before) + " (" + now + ")");
        }
    }
}
