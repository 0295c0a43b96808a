package dev.fraiseql.observers.ops.demo;

import dev.fraiseql.observers.embedded.EmbeddedKafka;
import dev.fraiseql.observers.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the demo's config folder, the same layout a user writes for {@code observers run}: {@code
 * application.yaml}, one connector file and one observers file.
 */
final class DemoConfigFolder {
    /** The connector's name and topic prefix: raw changes land on {@code demo.<schema>.<table>}. */
    static final String CONNECTOR = "demo";

    private DemoConfigFolder() {}

    /** Writes the folder under {@code root} and returns it. */
    static Path write(
            Path root,
            EmbeddedKafka kafka,
            EmbeddedPostgres postgres,
            String database,
            DemoScenario scenario,
            DemoReceiver receiver)
            throws IOException {
        Path config = Files.createDirectories(root.resolve("config"));
        Files.writeString(
                config.resolve("application.yaml"),
                String.join(
                        "\n",
                        "# The demo's application: the embedded broker, one partition per topic,",
                        "# the HTTP endpoint on a free loopback port.",
                        "kafka:",
                        "  bootstrap.servers: " + kafka.bootstrapServers(),
                        "topics:",
                        "  partitions: 1",
                        "  replication: 1",
                        "http:",
                        "  host: 127.0.0.1",
                        "  port: 0",
                        "state:",
                        "  dir: " + root.resolve("state"),
                        "shutdown:",
                        "  timeout: 10s",
                        ""));

        Path connectors = Files.createDirectories(config.resolve("connectors"));
        Files.writeString(
                connectors.resolve(CONNECTOR + ".yaml"),
                String.join(
                        "\n",
                        "name: " + CONNECTOR,
                        "type: postgres",
                        "database:",
                        "  host: " + postgres.host(),
                        "  port: " + postgres.port(),
                        "  name: " + database,
                        "  user: " + EmbeddedPostgres.SUPERUSER,
                        "  password: demo",
                        "tables: [" + String.join(", ", scenario.tables()) + "]",
                        "snapshot_mode: " + scenario.snapshotMode(),
                        "topic_prefix: " + CONNECTOR,
                        ""));

        Path observers = Files.createDirectories(config.resolve("observers"));
        Files.writeString(
                observers.resolve(scenario.name() + ".yaml"), scenario.observersYaml(receiver));
        return config;
    }
}
