package dev.fraiseql.observers.ops.demo;

import dev.fraiseql.observers.embedded.EmbeddedKafka;
import dev.fraiseql.observers.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes the demo's config folder, the same layout a user writes for {@code observers run}: {@code
 * application.yaml}, one connector file and one observers file. The benchmarks write theirs with
 * the same method, so that they measure the product as the demo runs it.
 */
public final class DemoConfigFolder {
    /** The connector's name and topic prefix: raw changes land on {@code demo.<schema>.<table>}. */
    static final String CONNECTOR = "demo";

    private DemoConfigFolder() {}

    /** Writes the demo's folder under {@code root} and returns it. */
    static Path write(
            Path root,
            EmbeddedKafka kafka,
            EmbeddedPostgres postgres,
            String database,
            DemoScenario scenario,
            DemoReceiver receiver)
            throws IOException {
        Connector connector =
                new Connector(
                        CONNECTOR,
                        postgres.host(),
                        postgres.port(),
                        database,
                        scenario.tables(),
                        scenario.snapshotMode());
        return write(
                root,
                kafka.bootstrapServers(),
                List.of(),
                connector,
                scenario.name(),
                scenario.observersYaml(receiver));
    }

    /**
     * The connector file of a folder: a PostgreSQL connector named {@code name}, whose topics are
     * {@code <name>.<schema>.<table>}.
     */
    public record Connector(
            String name,
            String host,
            int port,
            String database,
            List<String> tables,
            String snapshotMode) {
        public Connector {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(database, "database");
            tables = List.copyOf(tables);
            Objects.requireNonNull(snapshotMode, "snapshotMode");
        }
    }

    /**
     * Writes a folder of the same layout under {@code root} and returns it: the demo's application
     * settings followed by {@code applicationLines} (for example {@code prefix: bench} or {@code
     * parts.worker: false}), one connector file and one observers file {@code
     * <observersName>.yaml}.
     */
    public static Path write(
            Path root,
            String bootstrapServers,
            List<String> applicationLines,
            Connector connector,
            String observersName,
            String observersYaml)
            throws IOException {
        Path config = Files.createDirectories(root.resolve("config"));
        List<String> application = new ArrayList<>();
        application.addAll(
                List.of(
                        "# The demo's application: the embedded broker, one partition per topic,",
                        "# the HTTP endpoint on a free loopback port.",
                        "kafka:",
                        "  bootstrap.servers: " + bootstrapServers,
                        "topics:",
                        "  partitions: 1",
                        "  replication: 1",
                        "http:",
                        "  host: 127.0.0.1",
                        "  port: 0",
                        "state:",
                        "  dir: " + root.resolve("state"),
                        "shutdown:",
                        "  timeout: 10s"));
        application.addAll(applicationLines);
        application.add("");
        Files.writeString(config.resolve("application.yaml"), String.join("\n", application));

        Path connectors = Files.createDirectories(config.resolve("connectors"));
        Files.writeString(
                connectors.resolve(connector.name() + ".yaml"),
                String.join(
                        "\n",
                        "name: " + connector.name(),
                        "type: postgres",
                        "database:",
                        "  host: " + connector.host(),
                        "  port: " + connector.port(),
                        "  name: " + connector.database(),
                        "  user: " + EmbeddedPostgres.SUPERUSER,
                        "  password: demo",
                        "tables: [" + String.join(", ", connector.tables()) + "]",
                        "snapshot_mode: " + connector.snapshotMode(),
                        "topic_prefix: " + connector.name(),
                        ""));

        Path observers = Files.createDirectories(config.resolve("observers"));
        Files.writeString(observers.resolve(observersName + ".yaml"), observersYaml);
        return config;
    }
}
