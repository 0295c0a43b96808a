package dev.fraiseql.observers.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.app.ApplicationConfigLoader;
import dev.fraiseql.observers.core.config.app.ConfigFolder;
import dev.fraiseql.observers.testing.CapturedLogs;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running app says which files of its config folder it does not read, as validate does. */
class UnreadFilesWarningIT {
    private final KafkaHarness kafka = Harnesses.kafka();

    @Test
    void files_and_folders_that_are_not_read_are_logged_as_warnings_at_start(@TempDir Path dir)
            throws Exception {
        Files.createDirectories(dir.resolve("observers"));
        Files.writeString(dir.resolve("observers/orders.json"), "{}");
        Files.createDirectories(dir.resolve("observer"));
        String yaml =
                "prefix: "
                        + kafka.uniqueName("unread")
                        + "\nkafka: {bootstrap.servers: '"
                        + kafka.bootstrapServers()
                        + "'}\nhttp: {port: 0}\n"
                        + "parts: {connectors: false, topology: false, worker: false}\n";
        ConfigFolder folder =
                new ConfigFolder(
                        dir,
                        new ApplicationConfigLoader(EnvExpander.of(Map.of()))
                                .parse(yaml, "application.yaml", dir));

        try (CapturedLogs logs = CapturedLogs.start();
                ObserversApplication app =
                        ObserversApplication.create(
                                folder,
                                PartCatalog.empty(),
                                TopicPreparation.apply(List.of(), Duration.ofSeconds(30)))) {
            app.start();

            assertThat(logs.lines())
                    .contains(
                            "WARN "
                                    + ObserversApplication.class.getName()
                                    + " [main] [app] observers/orders.json: this file is not read:"
                                    + " only *.yaml and *.yml files in observers/ are read; give it"
                                    + " a .yaml name to have it read, or move it out of observers/")
                    .anySatisfy(
                            line ->
                                    assertThat(line)
                                            .startsWith("WARN ")
                                            .contains("[app] observer/: ")
                                            .contains("did you mean observers/?"));
        }
    }
}
