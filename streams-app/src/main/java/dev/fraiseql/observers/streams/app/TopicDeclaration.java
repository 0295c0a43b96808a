package dev.fraiseql.observers.streams.app;

import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import dev.fraiseql.observers.core.config.app.ObserverTopic;
import dev.fraiseql.observers.core.config.app.Retention;
import dev.fraiseql.observers.core.config.app.TopicNames;
import dev.fraiseql.observers.core.config.app.TopicSettings;
import dev.fraiseql.observers.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A topic as the product wants it: name, partitions, replication, cleanup policy and retention.
 *
 * @param name the full topic name
 * @param partitions the partition count
 * @param replication the replication factor
 * @param cleanupPolicy {@code delete} or {@code compact}
 * @param retention how long records are kept (ignored by compacted topics)
 */
public record TopicDeclaration(
        String name, int partitions, short replication, String cleanupPolicy, Retention retention) {

    public TopicDeclaration {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
        Objects.requireNonNull(retention, "retention");
        if (partitions < 1 || replication < 1) {
            throw new IllegalArgumentException(
                    name + ": partitions and replication must be at least 1");
        }
    }

    /** The topic settings the product sets on creation and compares on check. */
    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", cleanupPolicy);
        if (!cleanupPolicy.equals("compact")) {
            configs.put("retention.ms", Long.toString(retention.retentionMs()));
        }
        return configs;
    }

    /**
     * Every topic of the product under a configuration: the fixed topics, and one retry topic per
     * distinct delay of the default retry policy and of the given extra delays.
     *
     * @param config the application configuration
     * @param extraRetryDelays retry delays of observer-specific policies
     */
    public static List<TopicDeclaration> of(
            ApplicationConfig config, Collection<Duration> extraRetryDelays) {
        TopicNames names = config.topicNames();
        List<TopicDeclaration> declared = new ArrayList<>();
        for (ObserverTopic topic : ObserverTopic.values()) {
            if (topic != ObserverTopic.JOBS_RETRY) {
                declared.add(declare(names.name(topic), topic, config.topic(topic)));
            }
        }
        TreeSet<Duration> delays = new TreeSet<>(retryDelays(RetryPolicy.DEFAULT));
        delays.addAll(extraRetryDelays);
        TopicSettings retry = config.topic(ObserverTopic.JOBS_RETRY);
        for (Duration delay : delays) {
            declared.add(declare(names.jobsRetry(delay), ObserverTopic.JOBS_RETRY, retry));
        }
        return declared;
    }

    /** The distinct nominal delays of a policy: one retry topic each. */
    public static List<Duration> retryDelays(RetryPolicy policy) {
        TreeSet<Duration> delays = new TreeSet<>();
        for (int attempt = 2; attempt <= policy.maxAttempts(); attempt++) {
            delays.add(policy.nominalDelayBefore(attempt));
        }
        return List.copyOf(delays);
    }

    private static TopicDeclaration declare(
            String name, ObserverTopic topic, TopicSettings settings) {
        return new TopicDeclaration(
                name,
                settings.partitions(),
                settings.replication(),
                topic.cleanupPolicy(),
                settings.retention());
    }
}
