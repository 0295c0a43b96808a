package dev.fraiseql.observers.ops.demo;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * One demo: the tables its connector captures, its observers, and a workload of real SQL changes
 * whose expected outcome it computes from what the database answered (update counts), not from
 * constants.
 */
interface DemoScenario {
    /** Names the scenario in the output: {@code shop}, {@code pagila}. */
    String name();

    /** The tables the connector captures, {@code schema.table}. */
    List<String> tables();

    /**
     * Debezium's snapshot mode for the connector: {@code no_data} when existing rows should not be
     * replayed (a large dump), so that every change counted is one the workload made.
     */
    String snapshotMode();

    /** The observers file, sending to the receiver's URLs. */
    String observersYaml(DemoReceiver receiver);

    /** Runs the workload, printing each step, and returns what it should lead to. */
    Expectation run(Connection connection, PrintWriter out) throws SQLException;
}
