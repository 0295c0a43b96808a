package dev.fraiseql.observers.core.config.app;

import java.util.Objects;

/**
 * The consumer groups of the product under one app prefix. The parts that consume take their group
 * from here, and the queue gauges read the lag of the same groups, so the two cannot drift apart.
 *
 * @param prefix the app prefix ({@code observers} by default)
 */
public record GroupNames(String prefix) {
    public GroupNames {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isBlank()) {
            throw new IllegalArgumentException("prefix must not be blank");
        }
    }

    /** The Kafka Streams application id of the topology, which is also its consumer group. */
    public String topology() {
        return prefix + "-topology";
    }

    /** The group of the job workers, shared by every worker instance. */
    public String worker() {
        return prefix + "-job-worker";
    }

    /**
     * The group of {@code observers replay dlq}: its committed offsets mark how far the jobs DLQ
     * has been replayed.
     */
    public String dlqReplay() {
        return prefix + ".ops.replay-dlq";
    }
}
