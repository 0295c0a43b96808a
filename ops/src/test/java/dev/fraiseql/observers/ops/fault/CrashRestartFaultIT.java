package dev.fraiseql.observers.ops.fault;

import dev.fraiseql.observers.testing.Harnesses;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The fault suite's short run, part of every build: two thousand row changes (one transaction of
 * 400 rows among them) while the app process is killed with SIGKILL once and started again. Every
 * change the SQL oracle says should fire an observer is delivered, under exactly one {@code
 * webhook-id} per job, nothing is dead-lettered or doubled in the events topic, and no process logs
 * an uncaught exception. {@link FullFaultIT} is the long run with every fault.
 */
class CrashRestartFaultIT {

    @Test
    void an_app_killed_mid_run_and_restarted_delivers_every_expected_job_once() throws Exception {
        // Arrange
        FaultPlan plan =
                new FaultPlan(
                        FaultPlan.seedFromProperty(),
                        2_000,
                        400,
                        150,
                        1,
                        false,
                        Duration.ZERO,
                        Duration.ZERO,
                        Duration.ofMinutes(4));

        // Act
        FaultReport report;
        try (FaultRun run =
                new FaultRun(
                        plan, FaultRun.directory("crash-restart", plan), Harnesses.postgres())) {
            report = run.run();
        }

        // Assert
        report.assertNothingLost(plan);
    }
}
