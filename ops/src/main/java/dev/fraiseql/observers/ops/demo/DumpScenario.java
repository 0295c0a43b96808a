package dev.fraiseql.observers.ops.demo;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's dump that the demo does not know: every table with a primary key is captured (without a
 * snapshot), no observer is written and no workload runs. With {@code --keep-running}, the changes
 * the user makes show up as they happen.
 */
final class DumpScenario implements DemoScenario {
    private final List<String> tables;

    private DumpScenario(List<String> tables) {
        this.tables = List.copyOf(tables);
    }

    /** The tables with a primary key outside the system schemas. */
    static DumpScenario of(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet result =
                        statement.executeQuery(
                                "SELECT tc.table_schema || '.' || tc.table_name"
                                        + " FROM information_schema.table_constraints tc"
                                        + " WHERE tc.constraint_type = 'PRIMARY KEY'"
                                        + " AND tc.table_schema NOT IN"
                                        + " ('pg_catalog', 'information_schema')"
                                        + " ORDER BY 1")) {
            while (result.next()) {
                tables.add(result.getString(1));
            }
        }
        if (tables.isEmpty()) {
            throw new IllegalStateException(
                    "the SQL files created no table with a primary key; the demo captures tables"
                            + " with one");
        }
        return new DumpScenario(tables);
    }

    @Override
    public String name() {
        return "dump";
    }

    @Override
    public List<String> tables() {
        return tables;
    }

    @Override
    public String snapshotMode() {
        return "no_data";
    }

    @Override
    public String observersYaml(DemoReceiver receiver) {
        return "observers: []\n";
    }

    @Override
    public Expectation run(Connection connection, PrintWriter out) {
        out.printf(
                "workload: none for this dump; %d tables are captured (run with --keep-running"
                        + " and change rows to see them)%n",
                tables.size());
        return Expectation.none();
    }
}
