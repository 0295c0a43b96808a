package dev.fraiseql.observers.ops.fault;

import dev.fraiseql.observers.testing.Harnesses;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fault suite's long run, tagged {@code fault} and left out of the default build (see the
 * operations guide for the command): 20,000 row changes across three tables, one transaction of
 * 5,000 rows among them, while the app process is killed with SIGKILL at three seeded moments and
 * started again, the broker process is killed and started again once, and the receiver refuses
 * connections for 30 s. The same checks as {@link CrashRestartFaultIT} hold afterwards.
 */
@Tag("fault")
class FullFaultIT {

    @Test
    void three_app_kills_a_broker_restart_and_a_receiver_outage_lose_and_double_nothing()
            throws Exception {
        // Arrange
        FaultPlan plan =
                new FaultPlan(
                        FaultPlan.seedFromProperty(),
                        Integer.getInteger("fault.changes", 20_000),
                        5_000,
                        Integer.getInteger("fault.rate", 200),
                        3,
                        true,
                        Duration.ofSeconds(Long.getLong("fault.brokerDowntime", 0)),
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(15));

        // Act
        FaultReport report;
        try (FaultRun run =
                new FaultRun(plan, FaultRun.directory("full", plan), Harnesses.postgres())) {
            report = run.run();
        }

        // Assert
        report.assertNothingLost(plan);
    }
}
