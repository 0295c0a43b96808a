package dev.fraiseql.observers.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fraiseql.observers.connectors.ChangeLog.Change;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import dev.fraiseql.observers.testing.PostgresHarness;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor against a real broker and a real PostgreSQL: failures, retries, folder changes.
 */
class ConnectorSupervisorIT {
    private static final String PROBE_ROLE = "observers_probe";
    private static final String PROBE_PASSWORD = "right-horse-battery";

    private final KafkaHarness kafka = Harnesses.kafka();
    private final PostgresHarness postgres = Harnesses.postgres();

    @TempDir Path configDir;

    private ConnectorSupervisor supervisor;
    private ChangeLog changes;

    @AfterEach
    void stop() {
        if (changes != null) {
            changes.close();
        }
        if (supervisor != null) {
            supervisor.close();
        }
    }

    @Test
    void wrongPasswordFailsThatConnectorWhileAnotherInTheSameFolderKeepsRunning() throws Exception {
        String database = shopDatabase();
        requirePasswordFor(PROBE_ROLE, PROBE_PASSWORD);
        Path folder = configDir.resolve("connectors");
        String good = kafka.uniqueName("good");
        String bad = kafka.uniqueName("bad");
        ConnectorFiles.writePostgres(
                folder,
                good,
                postgres,
                database,
                postgres.user(),
                postgres.password(),
                List.of("public.orders"));
        ConnectorFiles.writePostgres(
                folder,
                bad,
                postgres,
                database,
                PROBE_ROLE,
                "wrong-guess-42",
                List.of("public.orders"));

        supervisor = newSupervisor(folder);
        supervisor.start();

        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () -> {
                            assertThat(status(bad).state()).isEqualTo(ConnectorState.FAILED);
                            assertThat(status(good).state()).isEqualTo(ConnectorState.RUNNING);
                        });
        assertThat(status(bad).message())
                .startsWith("connector '" + bad + "' (connectors/" + bad + ".yaml): ")
                .contains("password authentication failed for user \"" + PROBE_ROLE + "\"")
                .contains("fix database.user and database.password")
                .doesNotContain("wrong-guess-42");

        changes = new ChangeLog(kafka.bootstrapServers(), good);
        postgres.execute(database, "INSERT INTO orders VALUES (2, 'second order')");
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(changes.of(good + ".public.orders"))
                                        .extracting(c -> c.after().path("item").asText())
                                        .containsExactly("second order"));
        assertThat(status(good).state()).isEqualTo(ConnectorState.RUNNING);
        assertThat(status(bad).state()).isEqualTo(ConnectorState.FAILED);
    }

    @Test
    void missingTableFailsWithTheTableNamed() throws Exception {
        String database = shopDatabase();
        Path folder = configDir.resolve("connectors");
        String name = kafka.uniqueName("missing");
        ConnectorFiles.writePostgres(
                folder,
                name,
                postgres,
                database,
                postgres.user(),
                postgres.password(),
                List.of("public.orders", "public.nope"));

        supervisor = newSupervisor(folder);
        supervisor.start();

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> assertThat(status(name).state()).isEqualTo(ConnectorState.FAILED));
        assertThat(status(name).message())
                .contains("table public.nope does not exist in database " + database)
                .contains("fix 'tables' in the connector file");
    }

    @Test
    void unreachableDatabaseIsRetriedWithAGrowingDelay() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path folder = Files.createDirectories(configDir.resolve("connectors"));
        String name = kafka.uniqueName("unreachable");
        Files.writeString(
                folder.resolve(name + ".yaml"),
                "name: "
                        + name
                        + "\ntype: postgres\ndatabase: {host: 127.0.0.1, port: "
                        + closedPort
                        + ", name: shop, user: cdc, password: pw}\n");

        supervisor = newSupervisor(folder);
        supervisor.start();

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(status(name).message())
                                        .contains("attempt 2 failed, next attempt in 2000 ms"));
        assertThat(status(name).state()).isEqualTo(ConnectorState.RETRYING);
        assertThat(status(name).message()).contains("Connection").contains("refused");
    }

    @Test
    void addingChangingAndRemovingFilesStartsRestartsAndStopsConnectors() throws Exception {
        String database = shopDatabase();
        postgres.execute(
                database, "CREATE TABLE refunds (id int PRIMARY KEY, amount numeric(8,2))");
        Path folder = Files.createDirectories(configDir.resolve("connectors"));
        supervisor = newSupervisor(folder);
        supervisor.start();
        assertThat(supervisor.statuses()).isEmpty();

        // Added: the connector starts and snapshots its table.
        String name = kafka.uniqueName("watched");
        changes = new ChangeLog(kafka.bootstrapServers(), name);
        ConnectorFiles.writePostgres(
                folder,
                name,
                postgres,
                database,
                postgres.user(),
                postgres.password(),
                List.of("public.orders"));
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () ->
                                assertThat(changes.snapshotCounts())
                                        .containsEntry(name + ".public.orders", 1L));
        assertThat(status(name).state()).isEqualTo(ConnectorState.RUNNING);

        // A broken file is reported and ignored; the running connector is not disturbed.
        Files.writeString(folder.resolve("broken.yaml"), "name: broken\ntype: postgress\n");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(status("broken").message())
                                        .contains(
                                                "connectors/broken.yaml:2: type: unknown connector"
                                                        + " type")
                                        .contains("did you mean 'postgres'?"));
        assertThat(status("broken").state()).isEqualTo(ConnectorState.FAILED);
        assertThat(status(name).state()).isEqualTo(ConnectorState.RUNNING);

        // Changed: restarted with the new table list, and changes to the new table arrive.
        ConnectorFiles.writePostgres(
                folder,
                name,
                postgres,
                database,
                postgres.user(),
                postgres.password(),
                List.of("public.orders", "public.refunds"));
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            postgres.execute(
                                    database,
                                    "INSERT INTO refunds VALUES ((SELECT coalesce(max(id), 0) + 1"
                                            + " FROM refunds), 19.99)");
                            assertThat(changes.of(name + ".public.refunds"))
                                    .extracting(Change::op)
                                    .contains("c");
                        });
        assertThat(status(name).state()).isEqualTo(ConnectorState.RUNNING);

        // Removed: the connector stops and its replication slot is released.
        Files.delete(folder.resolve(name + ".yaml"));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            assertThat(supervisor.statuses())
                                    .extracting(ConnectorStatus::name)
                                    .doesNotContain(name);
                            assertThat(slotActive(database, "observers_" + name.replace('-', '_')))
                                    .contains(false);
                        });
    }

    private ConnectorStatus status(String name) {
        return supervisor.statuses().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no status for " + name + ": " + supervisor.statuses()));
    }

    private String shopDatabase() {
        String database = postgres.newDatabase("shop");
        postgres.execute(
                database,
                "CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL)",
                "INSERT INTO orders VALUES (1, 'first order')");
        return database;
    }

    private ConnectorSupervisor newSupervisor(Path folder) {
        return new ConnectorSupervisor(
                folder,
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                EnvExpander.of(Map.of()),
                Clock.systemUTC());
    }

    private Optional<Boolean> slotActive(String database, String slot) throws SQLException {
        try (Connection connection = postgres.connect(database);
                Statement statement = connection.createStatement();
                ResultSet result =
                        statement.executeQuery(
                                "SELECT active FROM pg_replication_slots WHERE slot_name = '"
                                        + slot
                                        + "'")) {
            return result.next() ? Optional.of(result.getBoolean(1)) : Optional.empty();
        }
    }

    /**
     * Makes the server check the password of one role. The embedded server trusts every local
     * login; a rule for this role, placed first in pg_hba.conf, makes it ask for the password (the
     * rules are read top down and the first match wins).
     */
    private void requirePasswordFor(String role, String password) throws SQLException {
        try (Connection connection = postgres.connect("postgres");
                Statement statement = connection.createStatement()) {
            ResultSet exists =
                    statement.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'");
            if (!exists.next()) {
                statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
            }
            ResultSet hba =
                    statement.executeQuery("SELECT pg_read_file(current_setting('hba_file'))");
            hba.next();
            String rules = hba.getString(1);
            if (!rules.contains(" " + role + " ")) {
                String rule = "host all " + role + " 127.0.0.1/32 scram-sha-256\n";
                statement.execute("CREATE TEMP TABLE hba_lines (n serial, line text)");
                for (String line : (rule + rules).split("\n")) {
                    try (var insert =
                            connection.prepareStatement(
                                    "INSERT INTO hba_lines (line) VALUES (?)")) {
                        insert.setString(1, line.isBlank() ? null : line);
                        insert.executeUpdate();
                    }
                }
                // CSV with control characters as delimiter and quote writes each line unchanged;
                // blank lines are NULLs, which CSV writes as empty lines.
                statement.execute(
                        "COPY (SELECT line FROM hba_lines ORDER BY n) TO '"
                                + hbaPath(statement)
                                + "' WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')");
                statement.execute("SELECT pg_reload_conf()");
            }
        }
        String url = postgres.jdbcUrl("postgres");
        await().atMost(Duration.ofSeconds(30)).until(() -> !canLogIn(url, role, "not-" + password));
    }

    private static String hbaPath(Statement statement) throws SQLException {
        try (ResultSet result = statement.executeQuery("SHOW hba_file")) {
            result.next();
            return result.getString(1).replace("'", "''");
        }
    }

    private static boolean canLogIn(String url, String user, String password) {
        try (Connection ignored = DriverManager.getConnection(url, user, password)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
