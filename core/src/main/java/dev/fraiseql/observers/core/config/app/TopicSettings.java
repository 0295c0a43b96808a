package dev.fraiseql.observers.core.config.app;

import java.util.Objects;

/**
 * The declared settings of one product topic.
 *
 * @param partitions the partition count, at least 1
 * @param replication the replication factor, at least 1
 * @param retention how long records are kept
 */
public record TopicSettings(int partitions, short replication, Retention retention) {
    public TopicSettings {
        Objects.requireNonNull(retention, "retention");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        if (replication < 1) {
            throw new IllegalArgumentException(
                    "replication must be at least 1, was " + replication);
        }
    }
}
