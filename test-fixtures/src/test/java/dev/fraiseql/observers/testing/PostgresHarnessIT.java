package dev.fraiseql.observers.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresHarnessIT {

    @Test
    void anInsertIsReadThroughALogicalReplicationSlotWithPgoutput() throws SQLException {
        PostgresHarness postgres = Harnesses.postgres();
        String database = postgres.newDatabase("harness_slot");
        postgres.execute(
                database,
                "CREATE TABLE customer (id int PRIMARY KEY, name text NOT NULL)",
                "CREATE PUBLICATION harness_pub FOR TABLE customer",
                "SELECT pg_create_logical_replication_slot('harness_slot', 'pgoutput')");

        postgres.execute(database, "INSERT INTO customer VALUES (42, 'Ada Lovelace')");

        // The embedded server commits asynchronously: decoding sees the change once the WAL is
        // flushed, so poll the slot until the transaction's commit message has arrived.
        List<byte[]> messages = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () ->
                                    readSlot(postgres, database, messages)
                                            && endsWithCommit(messages));
        } finally {
            postgres.execute(database, "SELECT pg_drop_replication_slot('harness_slot')");
        }

        // pgoutput messages: B(egin), R(elation), I(nsert), C(ommit).
        assertThat(messages)
                .extracting(message -> (char) message[0])
                .containsExactly('B', 'R', 'I', 'C');
        String relation = new String(messages.get(1), StandardCharsets.UTF_8);
        assertThat(relation).contains("customer").contains("name");
        String insert = new String(messages.get(2), StandardCharsets.UTF_8);
        assertThat(insert).contains("42").contains("Ada Lovelace");
    }

    private static boolean readSlot(PostgresHarness postgres, String database, List<byte[]> into)
            throws SQLException {
        try (Connection connection = postgres.connect(database);
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT data FROM"
                                    + " pg_logical_slot_get_binary_changes('harness_slot', NULL,"
                                    + " NULL, 'proto_version', '1', 'publication_names',"
                                    + " 'harness_pub')")) {
            while (rows.next()) {
                into.add(rows.getBytes(1));
            }
        }
        return true;
    }

    private static boolean endsWithCommit(List<byte[]> messages) {
        return !messages.isEmpty() && messages.get(messages.size() - 1)[0] == 'C';
    }

    @Test
    void theServerRunsWithLogicalWalLevel() throws SQLException {
        PostgresHarness postgres = Harnesses.postgres();

        try (Connection connection = postgres.connect("postgres");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW wal_level")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("logical");
        }
    }
}
