package dev.fraiseql.observers.streams.worker;

import dev.fraiseql.observers.core.config.app.TopicNames;
import dev.fraiseql.observers.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The names of the job queue's topics, all under one prefix (default {@code observers}): {@code
 * <prefix>.jobs}, one {@code <prefix>.jobs.retry.<delay>} per distinct nominal delay of the loaded
 * retry policies ({@code 1s}, {@code 2s}, {@code 4s}, {@code 1m}, ...), {@code <prefix>.jobs.dlq}
 * and the compacted {@code <prefix>.jobs.outcomes}.
 *
 * <p>One retry topic per delay keeps each topic in due-time order (records are appended roughly
 * {@code delay} before they are due), so the worker only has to look at a partition's head.
 */
public final class JobTopics {
    /** The default topic prefix. */
    public static final String DEFAULT_PREFIX = "observers";

    private final TopicNames names;
    private final NavigableMap<Duration, String> retryTopics;

    private JobTopics(TopicNames names, NavigableMap<Duration, String> retryTopics) {
        this.names = names;
        this.retryTopics = retryTopics;
    }

    /**
     * The topics for a prefix and the retry policies in use: one retry topic for each delay any
     * policy can ask for, from its second attempt to its last.
     */
    public static JobTopics of(String prefix, Collection<RetryPolicy> policies) {
        TopicNames names = new TopicNames(prefix);
        NavigableMap<Duration, String> retry = new TreeMap<>();
        for (RetryPolicy policy : policies) {
            for (int attempt = 2; attempt <= policy.maxAttempts(); attempt++) {
                Duration delay = policy.nominalDelayBefore(attempt);
                retry.put(delay, names.jobsRetry(delay));
            }
        }
        if (retry.isEmpty()) {
            // Deferrals (an open circuit breaker) need a retry topic even when nothing retries.
            Duration delay = RetryPolicy.DEFAULT.initialDelay();
            retry.put(delay, names.jobsRetry(delay));
        }
        return new JobTopics(names, retry);
    }

    /** The prefix. */
    public String prefix() {
        return names.prefix();
    }

    /** {@code <prefix>.jobs}. */
    public String jobs() {
        return names.jobs();
    }

    /** {@code <prefix>.jobs.dlq}. */
    public String deadLetter() {
        return names.jobsDlq();
    }

    /** {@code <prefix>.jobs.outcomes}. */
    public String outcomes() {
        return names.jobsOutcomes();
    }

    /** Every retry topic by its nominal delay, shortest first. */
    public Map<Duration, String> retryTopics() {
        return java.util.Collections.unmodifiableNavigableMap(retryTopics);
    }

    /** The topics the worker reads: the jobs topic and every retry topic. */
    public List<String> inputs() {
        List<String> inputs = new java.util.ArrayList<>();
        inputs.add(jobs());
        inputs.addAll(retryTopics.values());
        return List.copyOf(inputs);
    }

    /** True for a retry topic of this prefix. */
    public boolean isRetryTopic(String topic) {
        return retryTopics.containsValue(topic);
    }

    /**
     * The retry topic of a nominal delay; a delay no policy declared (a receiver's {@code
     * Retry-After}, an open breaker's wait) gets the shortest topic at least that long, or the
     * longest one.
     */
    public String retryTopicFor(Duration delay) {
        String exact = retryTopics.get(delay);
        if (exact != null) {
            return exact;
        }
        Map.Entry<Duration, String> ceiling = retryTopics.ceilingEntry(delay);
        return ceiling != null ? ceiling.getValue() : retryTopics.lastEntry().getValue();
    }

    /**
     * The topic declarations: retention of days for jobs and retries, long for the DLQ, compaction
     * for outcomes.
     */
    public List<NewTopic> declarations(int partitions, short replication) {
        List<NewTopic> topics = new java.util.ArrayList<>();
        String week = Long.toString(Duration.ofDays(7).toMillis());
        topics.add(
                new NewTopic(jobs(), partitions, replication)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, week)));
        for (String retry : new TreeSet<>(retryTopics.values())) {
            topics.add(
                    new NewTopic(retry, partitions, replication)
                            .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, week)));
        }
        topics.add(
                new NewTopic(deadLetter(), partitions, replication)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")));
        topics.add(
                new NewTopic(outcomes(), partitions, replication)
                        .configs(
                                Map.of(
                                        TopicConfig.CLEANUP_POLICY_CONFIG,
                                        TopicConfig.CLEANUP_POLICY_COMPACT)));
        return List.copyOf(topics);
    }

    @Override
    public String toString() {
        return "JobTopics[" + inputs() + ", " + deadLetter() + ", " + outcomes() + "]";
    }
}
