package dev.fraiseql.observers.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import dev.fraiseql.observers.testing.MariaDbServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MariaDB connector files against a real MariaDB 10.11 server. The build has no Debezium MariaDB
 * connector (the registry does not serve it) and Debezium's MySQL connector refuses MariaDB 10 and
 * later, so what these show is that both cases end in {@code FAILED} with what to do, instead of
 * retrying forever.
 */
class MariaDbConnectorIT {
    private final KafkaHarness kafka = Harnesses.kafka();

    @TempDir Path configDir;

    private ConnectorSupervisor supervisor;

    @AfterEach
    void stop() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    @Test
    void mysqlTypePointedAtMariaDbFailsSayingToUseTheMariaDbType() throws Exception {
        MariaDbServer mariadb = MariaDbServer.shared();
        String name = kafka.uniqueName("shop");
        Path folder = writeConnector(mariadb, name, "mysql");

        supervisor = newSupervisor(folder);
        supervisor.start();

        await().atMost(Duration.ofSeconds(120))
                .untilAsserted(
                        () -> assertThat(onlyStatus().state()).isEqualTo(ConnectorState.FAILED));
        assertThat(onlyStatus().message())
                .startsWith("connector '" + name + "' (connectors/" + name + ".yaml): ")
                .contains("10.11")
                .endsWith(
                        "Debezium's MySQL connector does not read MariaDB 10 or later: write"
                                + " type: mariadb");
    }

    @Test
    void mariadbTypeWithoutItsConnectorJarFailsNamingTheJar() throws Exception {
        MariaDbServer mariadb = MariaDbServer.shared();
        String name = kafka.uniqueName("shop");
        Path folder = writeConnector(mariadb, name, "mariadb");

        supervisor = newSupervisor(folder);
        supervisor.start();

        await().atMost(Duration.ofSeconds(120))
                .untilAsserted(
                        () -> assertThat(onlyStatus().state()).isEqualTo(ConnectorState.FAILED));
        assertThat(onlyStatus().message())
                .contains("io.debezium.connector.mariadb.MariaDbConnector")
                .contains("io.debezium:debezium-connector-mariadb");
    }

    private ConnectorStatus onlyStatus() {
        assertThat(supervisor.statuses()).hasSize(1);
        return supervisor.statuses().get(0);
    }

    private Path writeConnector(MariaDbServer mariadb, String name, String type)
            throws IOException {
        String database = name.replace('-', '_');
        mariadb.execute(
                "CREATE DATABASE "
                        + database
                        + "; CREATE TABLE "
                        + database
                        + ".orders (id INT PRIMARY KEY, item VARCHAR(100) NOT NULL);"
                        + " INSERT INTO "
                        + database
                        + ".orders VALUES (1, 'first order');");
        Path folder = Files.createDirectories(configDir.resolve("connectors"));
        Files.writeString(
                folder.resolve(name + ".yaml"),
                "name: "
                        + name
                        + "\ntype: "
                        + type
                        + "\ndatabase:\n  host: "
                        + mariadb.host()
                        + "\n  port: "
                        + mariadb.port()
                        + "\n  name: "
                        + database
                        + "\n  user: "
                        + MariaDbServer.USER
                        + "\n  password: ${env:SHOP_DB_PASSWORD}\ntables: ["
                        + database
                        + ".orders]\n");
        return folder;
    }

    private ConnectorSupervisor newSupervisor(Path folder) {
        return new ConnectorSupervisor(
                folder,
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                EnvExpander.of(Map.of("SHOP_DB_PASSWORD", MariaDbServer.PASSWORD)),
                Clock.systemUTC());
    }
}
