package dev.fraiseql.observers.ops.bench;

import java.util.ArrayList;
import java.util.List;

/** The observers files of the benchmarks, all on {@link RentalChanges#TABLE}. */
final class BenchObservers {
    /** Observers of {@link #tenHalfMatching} whose condition holds for every rental change. */
    static final int MATCHING = 5;

    private BenchObservers() {}

    /**
     * Ten observers of rental creates and updates: five whose condition holds for every change of
     * {@link RentalChanges} (so each change makes five jobs) and five whose condition never does,
     * each evaluated on every change. Their webhooks go to {@code url}.
     */
    static String tenHalfMatching(String url) {
        List<String> lines = new ArrayList<>();
        lines.add("observers:");
        observer(lines, "rental-any", null, url);
        observer(
                lines,
                "rental-known-customer",
                "after.customer_id >= 1 && after.customer_id <= 599",
                url);
        observer(lines, "rental-staff", "after.staff_id == 1 || after.staff_id == 2", url);
        observer(lines, "rental-inventory", "after.inventory_id > 0", url);
        observer(lines, "rental-dated", "has(after.rental_date) && after.rental_id > 0", url);
        observer(lines, "rental-negative-id", "after.rental_id < 0", url);
        observer(lines, "rental-vip-customer", "after.customer_id > 100000", url);
        observer(lines, "rental-third-staff", "after.staff_id == 3", url);
        observer(lines, "rental-no-inventory", "after.inventory_id == 0", url);
        observer(
                lines,
                "rental-returned-by-staff-7",
                "changed_from('return_date', null) && after.staff_id == 7",
                url);
        lines.add("");
        return String.join("\n", lines);
    }

    /** One observer of every rental create and update, with a webhook to {@code url}. */
    static String oneMatching(String url) {
        List<String> lines = new ArrayList<>();
        lines.add("observers:");
        observer(lines, "rental-changed", null, url);
        lines.add("");
        return String.join("\n", lines);
    }

    /**
     * Four observers of every rental create and update: the first one's webhook goes to {@code
     * retriedUrl} and is retried after exactly one second (no jitter); the other three go to {@code
     * deliveredUrl} on the same host. A receiver that fails every first attempt of the first one
     * then sees a quarter of the attempts fail, well below the 50% that opens the host's circuit
     * breaker (which would defer the jobs by 30 s rather than retry them on time).
     */
    static String oneInFourRetried(String retriedUrl, String deliveredUrl) {
        List<String> lines = new ArrayList<>();
        lines.add("observers:");
        observer(lines, "rental-retried", null, retriedUrl);
        lines.add(
                "        retry: { max_attempts: 2, initial_delay: 1s, multiplier: 1,"
                        + " max_delay: 1s, jitter: 0 }");
        observer(lines, "rental-delivered", null, deliveredUrl);
        observer(lines, "rental-delivered-too", null, deliveredUrl);
        observer(lines, "rental-delivered-as-well", null, deliveredUrl);
        lines.add("");
        return String.join("\n", lines);
    }

    private static void observer(List<String> lines, String name, String when, String url) {
        lines.add("  - name: " + name);
        lines.add("    entity: " + RentalChanges.TABLE);
        lines.add("    on: [create, update]");
        if (when != null) {
            lines.add("    when: " + when);
        }
        lines.add("    actions:");
        lines.add("      - webhook:");
        lines.add("          url: " + url);
    }
}
