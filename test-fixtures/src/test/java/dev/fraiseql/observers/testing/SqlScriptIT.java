package dev.fraiseql.observers.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fraiseql.observers.embedded.SqlScript;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlScriptIT {
    private final PostgresHarness postgres = Harnesses.postgres();

    @Test
    void aDumpWithCopyBlocksLoadsEveryRowEvenWhenTablesComeBeforeTheirParents(@TempDir Path dir)
            throws Exception {
        Path dump = dir.resolve("shop.sql");
        Files.writeString(
                dump,
                String.join(
                        "\n",
                        "CREATE TABLE customer (id int PRIMARY KEY, name text NOT NULL);",
                        "CREATE TABLE orders (id int PRIMARY KEY,"
                                + " customer_id int NOT NULL REFERENCES customer (id),"
                                + " amount numeric(10,2) NOT NULL);",
                        "-- orders first: pg_dump sorts tables by name, not by foreign key",
                        "COPY public.orders (id, customer_id, amount) FROM stdin;",
                        "1\t7\t1250.50",
                        "2\t7\t0.10",
                        "\\.",
                        "COPY public.customer (id, name) FROM stdin;",
                        "7\tAda Lovelace",
                        "\\.",
                        "UPDATE customer SET name = name || ' (loaded)';",
                        ""));
        String database = postgres.newDatabase("sql_script");

        try (Connection connection = postgres.connect(database)) {
            SqlScript.run(connection, dump);
        }

        List<String> rows = new ArrayList<>();
        try (Connection connection = postgres.connect(database);
                Statement statement = connection.createStatement();
                ResultSet result =
                        statement.executeQuery(
                                "SELECT o.id, c.name, o.amount FROM orders o JOIN customer c ON"
                                        + " c.id = o.customer_id ORDER BY o.id")) {
            while (result.next()) {
                BigDecimal amount = result.getBigDecimal(3);
                rows.add(result.getInt(1) + "|" + result.getString(2) + "|" + amount);
            }
        }
        assertThat(rows)
                .containsExactly("1|Ada Lovelace (loaded)|1250.50", "2|Ada Lovelace (loaded)|0.10");
    }

    @Test
    void aFailingStatementNamesTheFile(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("broken.sql");
        Files.writeString(script, "CREATE TABLE ok (id int);\nSELEC 1;\n");
        String database = postgres.newDatabase("sql_script_bad");

        try (Connection connection = postgres.connect(database)) {
            assertThatThrownBy(() -> SqlScript.run(connection, script))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("broken.sql")
                    .hasMessageContaining("SELEC");
        }
    }
}
