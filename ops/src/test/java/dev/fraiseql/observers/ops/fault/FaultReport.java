package dev.fraiseql.observers.ops.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.assertj.core.api.SoftAssertions;

/**
 * What a fault run found, from the data: the database's recorded changes, the receiver's
 * deliveries, and the product's topics.
 *
 * @param seed the run's seed
 * @param changes row changes recorded by the database triggers
 * @param expectedJobs firings the SQL oracle calls for
 * @param deliveries requests the receiver recorded
 * @param distinctWebhookIds distinct {@code webhook-id}s among them
 * @param duplicateDeliveries deliveries that repeated an earlier {@code webhook-id}
 * @param lost expected firings never delivered
 * @param unexpected delivered firings the oracle does not call for
 * @param firingsWithSeveralIds firings delivered under more than one {@code webhook-id} (two jobs
 *     for one change)
 * @param jobsDeadLettered records in {@code <prefix>.jobs.dlq}
 * @param events records in {@code <prefix>.events}
 * @param duplicateEvents records of {@code <prefix>.events} whose event id came before
 * @param appStarts how many times the app process was started
 * @param uncaught log lines of an uncaught exception, from every process log
 * @param lostSample a few lost firings, for the failure message
 */
record FaultReport(
        long seed,
        long changes,
        int expectedJobs,
        int deliveries,
        int distinctWebhookIds,
        int duplicateDeliveries,
        int lost,
        int unexpected,
        int firingsWithSeveralIds,
        int jobsDeadLettered,
        int events,
        int duplicateEvents,
        int appStarts,
        List<String> uncaught,
        List<String> lostSample) {

    FaultReport {
        uncaught = List.copyOf(uncaught);
        lostSample = List.copyOf(lostSample);
    }

    /** The counts on one line, as the run prints them. */
    String line() {
        return "fault run seed="
                + seed
                + " changes="
                + changes
                + " expected_jobs="
                + expectedJobs
                + " deliveries="
                + deliveries
                + " distinct_webhook_ids="
                + distinctWebhookIds
                + " duplicate_deliveries="
                + duplicateDeliveries
                + " lost="
                + lost
                + " unexpected="
                + unexpected
                + " jobs_dlq="
                + jobsDeadLettered
                + " events="
                + events
                + " duplicate_events="
                + duplicateEvents
                + " app_starts="
                + appStarts
                + " uncaught="
                + uncaught.size();
    }

    /** Asserts that nothing was lost, doubled or dead-lettered, and that no process crashed. */
    void assertNothingLost(FaultPlan plan) {
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(changes).as("row changes written").isGreaterThanOrEqualTo(plan.changes());
        softly.assertThat(lost).as("expected firings never delivered: " + lostSample).isZero();
        softly.assertThat(distinctWebhookIds)
                .as("distinct webhook-ids delivered = expected jobs")
                .isEqualTo(expectedJobs);
        softly.assertThat(unexpected).as("deliveries the oracle does not call for").isZero();
        softly.assertThat(firingsWithSeveralIds).as("changes that became two jobs").isZero();
        softly.assertThat(jobsDeadLettered).as("jobs in the DLQ").isZero();
        softly.assertThat(duplicateEvents).as("event ids twice in the events topic").isZero();
        softly.assertThat(uncaught).as("uncaught exceptions in the process logs").isEmpty();
        softly.assertThat(appStarts).as("app starts").isEqualTo(plan.appKills() + 1);
        softly.assertAll();
        assertThat(expectedJobs).as("a run that expects no job proves nothing").isPositive();
    }
}
