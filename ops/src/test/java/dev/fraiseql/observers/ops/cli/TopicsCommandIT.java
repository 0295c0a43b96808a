package dev.fraiseql.observers.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code observers topics apply|check} through the command line against the real broker. */
class TopicsCommandIT {
    private final KafkaHarness kafka = Harnesses.kafka();

    private Path configFolder(Path dir, String prefix) throws IOException {
        Files.writeString(
                dir.resolve("application.yaml"),
                "prefix: "
                        + prefix
                        + "\nkafka:\n  bootstrap.servers: "
                        + kafka.bootstrapServers()
                        + "\ntopics:\n  partitions: 2\n  jobs: {partitions: 5}\n");
        return dir;
    }

    @Test
    void applyCreatesTheTopicsAndCheckThenFindsThemAsDeclared(@TempDir Path dir) throws Exception {
        String prefix = kafka.uniqueName("cli");
        Path folder = configFolder(dir, prefix);

        CommandRun check = CommandRun.of("topics", "check", "--config", folder.toString());
        CommandRun apply = CommandRun.of("topics", "apply", "--config", folder.toString());
        CommandRun checkAgain = CommandRun.of("topics", "check", "--config", folder.toString());

        assertThat(check.exitCode()).isEqualTo(ObserversCommand.EXIT_FAILED);
        assertThat(check.out())
                .contains("missing  " + prefix + ".events\n")
                .endsWith("12 topics declared: 0 created, 12 missing, 0 mismatches\n");
        assertThat(apply.exitCode()).isZero();
        assertThat(apply.out())
                .contains(
                        "created  "
                                + prefix
                                + ".jobs (partitions=5, replication=1, {cleanup.policy=delete,"
                                + " retention.ms=604800000})\n")
                .contains(
                        "created  "
                                + prefix
                                + ".jobs.outcomes (partitions=2, replication=1,"
                                + " {cleanup.policy=compact})\n")
                .endsWith("12 topics declared: 12 created, 0 missing, 0 mismatches\n");
        assertThat(checkAgain.exitCode()).as(checkAgain.out() + checkAgain.err()).isZero();
        assertThat(checkAgain.out())
                .isEqualTo("12 topics declared: 0 created, 0 missing, 0 mismatches\n");
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            Map<String, TopicDescription> topics =
                    admin.describeTopics(List.of(prefix + ".jobs", prefix + ".events"))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS);
            assertThat(topics.get(prefix + ".jobs").partitions()).hasSize(5);
            assertThat(topics.get(prefix + ".events").partitions()).hasSize(2);
        }
    }

    @Test
    void applyExitsOneAndPrintsAMismatchItDidNotChange(@TempDir Path dir) throws Exception {
        String prefix = kafka.uniqueName("cli-mismatch");
        kafka.createTopics(1, List.of(prefix + ".events"));

        CommandRun apply =
                CommandRun.of("topics", "apply", "--config", configFolder(dir, prefix).toString());

        assertThat(apply.exitCode()).isEqualTo(ObserversCommand.EXIT_FAILED);
        assertThat(apply.out())
                .contains(
                        "mismatch "
                                + prefix
                                + ".events: partitions is 1, declared 2 (not changed)\n")
                .contains(
                        "mismatch "
                                + prefix
                                + ".events: retention.ms is 604800000, declared 2592000000 (not"
                                + " changed)\n")
                .endsWith("12 topics declared: 11 created, 0 missing, 2 mismatches\n");
    }
}
