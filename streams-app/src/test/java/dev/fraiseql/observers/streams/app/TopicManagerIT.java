package dev.fraiseql.observers.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import dev.fraiseql.observers.core.config.app.ApplicationConfigLoader;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Topic creation and checking against the shared real broker. */
class TopicManagerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static KafkaHarness kafka;
    private static Admin admin;

    @BeforeAll
    static void connect() {
        kafka = Harnesses.kafka();
        admin = Admin.create(kafka.adminProperties());
    }

    @AfterAll
    static void disconnect() {
        admin.close();
    }

    private static ApplicationConfig config(String prefix) {
        String yaml =
                "prefix: "
                        + prefix
                        + "\nkafka: {bootstrap.servers: '"
                        + kafka.bootstrapServers()
                        + "'}\n"
                        + "topics: {partitions: 2, events: {partitions: 4, retention: forever}}\n";
        return new ApplicationConfigLoader(EnvExpander.of(Map.of()))
                .parse(yaml, "application.yaml", Path.of("/tmp"));
    }

    private static TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic);
    }

    private static String setting(String topic, String name) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config =
                admin.describeConfigs(List.of(resource))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .get(resource);
        return config.get(name).value();
    }

    @Test
    void applyCreatesEveryDeclaredTopicWithItsSettings() throws Exception {
        String prefix = kafka.uniqueName("apply");
        List<TopicDeclaration> declared = TopicDeclaration.of(config(prefix), List.of());
        TopicManager manager = new TopicManager(admin, TIMEOUT);

        TopicManager.Report report = manager.apply(declared);

        assertThat(report.created())
                .containsExactly(
                        prefix + ".events",
                        prefix + ".events.dlq",
                        prefix + ".jobs",
                        prefix + ".jobs.dlq",
                        prefix + ".jobs.outcomes",
                        prefix + ".jobs.retry.1s",
                        prefix + ".jobs.retry.2s",
                        prefix + ".jobs.retry.4s",
                        prefix + ".jobs.retry.8s",
                        prefix + ".jobs.retry.16s",
                        prefix + ".jobs.retry.32s",
                        prefix + ".jobs.retry.64s");
        assertThat(report.mismatches()).isEmpty();
        assertThat(describe(prefix + ".events").partitions()).hasSize(4);
        assertThat(setting(prefix + ".events", "retention.ms")).isEqualTo("-1");
        assertThat(describe(prefix + ".jobs").partitions()).hasSize(2);
        assertThat(setting(prefix + ".jobs", "retention.ms"))
                .isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));
        assertThat(setting(prefix + ".jobs.outcomes", "cleanup.policy")).isEqualTo("compact");
        assertThat(manager.check(declared).matches()).isTrue();
    }

    @Test
    void applyReportsATopicWithOtherPartitionsAndLeavesItUnchanged() throws Exception {
        String prefix = kafka.uniqueName("mismatch");
        kafka.createTopics(1, List.of(prefix + ".jobs"));
        List<TopicDeclaration> declared = TopicDeclaration.of(config(prefix), List.of());
        TopicManager manager = new TopicManager(admin, TIMEOUT);

        TopicManager.Report report = manager.apply(declared);

        assertThat(report.created()).hasSize(declared.size() - 1).doesNotContain(prefix + ".jobs");
        assertThat(report.mismatches())
                .extracting(TopicManager.Mismatch::describe)
                .containsExactly(prefix + ".jobs: partitions is 1, declared 2 (not changed)");
        assertThat(describe(prefix + ".jobs").partitions()).hasSize(1);
        assertThat(report.missing()).isEmpty();
        assertThat(report.matches()).isFalse();
    }

    @Test
    void checkReportsMissingTopicsAndCreatesNothing() throws Exception {
        String prefix = kafka.uniqueName("check");
        List<TopicDeclaration> declared = TopicDeclaration.of(config(prefix), List.of());

        TopicManager.Report report = new TopicManager(admin, TIMEOUT).check(declared);

        assertThat(report.missing())
                .hasSize(12)
                .contains(prefix + ".events", prefix + ".jobs.retry.64s");
        assertThat(report.created()).isEmpty();
        Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        assertThat(names).noneMatch(name -> name.startsWith(prefix + "."));
    }
}
