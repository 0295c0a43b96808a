package dev.fraiseql.observers.streams.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the product's topics exist as declared. {@link #apply} creates the missing ones; {@link
 * #check} only looks. Both report every difference on an existing topic (partitions, replication,
 * cleanup policy, retention) and never change it: altering a live topic is an operator's decision.
 */
public final class TopicManager {
    private static final Logger log = LoggerFactory.getLogger(TopicManager.class);

    private final Admin admin;
    private final Duration timeout;

    /**
     * A manager over an admin client the caller owns and closes.
     *
     * @param timeout how long each admin call may take
     */
    public TopicManager(Admin admin, Duration timeout) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** One setting of an existing topic that differs from the declaration. */
    public record Mismatch(String topic, String setting, String declared, String actual) {
        /** {@code observers.jobs: partitions is 1, declared 3 (not changed)}. */
        public String describe() {
            return topic
                    + ": "
                    + setting
                    + " is "
                    + actual
                    + ", declared "
                    + declared
                    + " (not changed)";
        }
    }

    /**
     * What a check or an apply found.
     *
     * @param created topics created by this call (always empty for a check)
     * @param missing declared topics that do not exist (after an apply: none)
     * @param mismatches differences on existing topics
     */
    public record Report(List<String> created, List<String> missing, List<Mismatch> mismatches) {
        public Report {
            created = List.copyOf(created);
            missing = List.copyOf(missing);
            mismatches = List.copyOf(mismatches);
        }

        /** True when every declared topic exists as declared. */
        public boolean matches() {
            return missing.isEmpty() && mismatches.isEmpty();
        }
    }

    /** Reports missing topics and differences, changing nothing. */
    public Report check(Collection<TopicDeclaration> declared) {
        Set<String> existing = listTopics();
        List<String> missing =
                declared.stream()
                        .map(TopicDeclaration::name)
                        .filter(name -> !existing.contains(name))
                        .toList();
        List<TopicDeclaration> present =
                declared.stream().filter(d -> existing.contains(d.name())).toList();
        return new Report(List.of(), missing, compare(present));
    }

    /** Creates the missing topics, then reports differences on the ones that already existed. */
    public Report apply(Collection<TopicDeclaration> declared) {
        Report before = check(declared);
        List<TopicDeclaration> toCreate =
                declared.stream().filter(d -> before.missing().contains(d.name())).toList();
        List<String> created = create(toCreate);

        // A topic that appeared between the listing and the creation (another instance, or
        // metadata that had not reached this broker yet) is compared like any existing one.
        List<TopicDeclaration> appeared =
                toCreate.stream().filter(d -> !created.contains(d.name())).toList();
        List<Mismatch> mismatches = new ArrayList<>(before.mismatches());
        mismatches.addAll(compare(appeared));
        for (Mismatch mismatch : mismatches) {
            log.warn("[topics] {}", mismatch.describe());
        }
        return new Report(created, List.of(), mismatches);
    }

    private List<String> create(List<TopicDeclaration> toCreate) {
        if (toCreate.isEmpty()) {
            return List.of();
        }
        List<NewTopic> newTopics =
                toCreate.stream()
                        .map(
                                topic ->
                                        new NewTopic(
                                                        topic.name(),
                                                        topic.partitions(),
                                                        topic.replication())
                                                .configs(topic.configs()))
                        .toList();
        Map<String, org.apache.kafka.common.KafkaFuture<Void>> results =
                admin.createTopics(newTopics).values();
        List<String> created = new ArrayList<>();
        for (TopicDeclaration topic : toCreate) {
            try {
                await(results.get(topic.name()));
                created.add(topic.name());
                log.info(
                        "[topics] created {} (partitions={}, replication={}, {})",
                        topic.name(),
                        topic.partitions(),
                        topic.replication(),
                        topic.configs());
            } catch (TopicExistsException e) {
                log.info("[topics] {} already exists; comparing it instead", topic.name());
            }
        }
        awaitVisible(created);
        return created;
    }

    /**
     * Waits until every broker's metadata lists the new topics, so that a check or a client that
     * runs right after {@link #apply} sees them.
     */
    private void awaitVisible(List<String> names) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!listTopics().containsAll(names)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "created topics did not become visible within "
                                + timeout.toSeconds()
                                + " s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    private List<Mismatch> compare(List<TopicDeclaration> present) {
        if (present.isEmpty()) {
            return List.of();
        }
        List<String> names = present.stream().map(TopicDeclaration::name).toList();
        Map<String, TopicDescription> descriptions =
                await(admin.describeTopics(names).allTopicNames());
        List<ConfigResource> resources =
                names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = await(admin.describeConfigs(resources).all());
        List<Mismatch> mismatches = new ArrayList<>();
        for (TopicDeclaration topic : present) {
            TopicDescription description = descriptions.get(topic.name());
            int partitions = description.partitions().size();
            int replication = description.partitions().get(0).replicas().size();
            differ(mismatches, topic, "partitions", topic.partitions(), partitions);
            differ(mismatches, topic, "replication", topic.replication(), replication);
            Config config =
                    configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
            topic.configs()
                    .forEach(
                            (name, value) -> {
                                ConfigEntry entry = config.get(name);
                                String actual = entry == null ? "(unset)" : entry.value();
                                differ(mismatches, topic, name, value, actual);
                            });
        }
        return mismatches;
    }

    private static void differ(
            List<Mismatch> mismatches,
            TopicDeclaration topic,
            String setting,
            Object declared,
            Object actual) {
        if (!String.valueOf(declared).equals(String.valueOf(actual))) {
            mismatches.add(
                    new Mismatch(
                            topic.name(),
                            setting,
                            String.valueOf(declared),
                            String.valueOf(actual)));
        }
    }

    /**
     * Admin client settings whose own timeouts end within {@code timeout}: without them, closing
     * the client after an unanswered call waits for Kafka's default API timeout (60 s) on top.
     */
    public static Properties adminProperties(Properties kafka, Duration timeout) {
        Properties properties = new Properties();
        properties.putAll(kafka);
        String millis = String.valueOf(Math.max(1, timeout.toMillis()));
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        return properties;
    }

    private Set<String> listTopics() {
        return await(admin.listTopics().names()).stream().collect(Collectors.toSet());
    }

    private <T> T await(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while talking to Kafka", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException exists) {
                throw exists;
            }
            throw new IllegalStateException(
                    "Kafka admin call failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not answer within "
                            + timeout.toSeconds()
                            + " s; check"
                            + " kafka.bootstrap.servers and that the brokers are up",
                    e);
        }
    }
}
