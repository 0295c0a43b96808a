package dev.fraiseql.observers.ops.fault;

import java.time.Duration;
import java.util.Objects;

/**
 * What a fault run does: how many row changes it writes and how fast, and which faults it injects
 * while they flow. The moments of the faults are drawn from {@code seed}; a failed run is replayed
 * with {@code -Dfault.seed=<seed>}.
 *
 * @param seed the seed of the workload and of the fault moments
 * @param changes the row changes to write (at least; a transaction is never cut)
 * @param bigTransactionRows the rows of the one large transaction (0 for none)
 * @param changesPerSecond the pace of the writer
 * @param appKills how many times the app process is killed with SIGKILL and started again
 * @param brokerRestart whether the broker process is killed with SIGKILL and started again once
 * @param brokerDowntime how long the killed broker stays down before it is started again
 * @param receiverOutage how long the receiver refuses connections once (zero for never)
 * @param deliveryTimeout how long the run may take, after the last change, to deliver everything
 */
record FaultPlan(
        long seed,
        int changes,
        int bigTransactionRows,
        int changesPerSecond,
        int appKills,
        boolean brokerRestart,
        Duration brokerDowntime,
        Duration receiverOutage,
        Duration deliveryTimeout) {

    FaultPlan {
        if (changes <= 0 || changesPerSecond <= 0) {
            throw new IllegalArgumentException("changes and changesPerSecond must be positive");
        }
        if (bigTransactionRows < 0 || bigTransactionRows > changes) {
            throw new IllegalArgumentException("bigTransactionRows must be 0.." + changes);
        }
        if (appKills < 0) {
            throw new IllegalArgumentException("appKills must not be negative");
        }
        Objects.requireNonNull(brokerDowntime, "brokerDowntime");
        Objects.requireNonNull(receiverOutage, "receiverOutage");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
    }

    /** The seed of {@code -Dfault.seed}, or a new one. */
    static long seedFromProperty() {
        String value = System.getProperty("fault.seed", "");
        return value.isBlank() ? System.nanoTime() : Long.parseLong(value.strip());
    }
}
