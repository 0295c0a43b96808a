package dev.fraiseql.observers.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server with {@code wal_level=logical}, shared by every test of one JVM. Tests
 * isolate themselves by database: {@link #newDatabase(String)} creates a fresh one.
 */
public interface PostgresHarness {

    /** The host the server listens on. */
    String host();

    /** The port the server listens on. */
    int port();

    /** A user allowed to create databases and replication slots. */
    String user();

    /** That user's password. */
    String password();

    /** What backs the server, for logs. */
    String description();

    /** A JDBC URL for the given database. */
    default String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** Opens a connection to the given database. */
    default Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user(), password());
    }

    /** Creates a database whose name starts with the prefix and that no other test uses. */
    default String newDatabase(String prefix) {
        String name = (prefix + "_" + Counter.NEXT.incrementAndGet()).toLowerCase();
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException(
                    "database prefix '" + prefix + "' must be letters, digits, '_'");
        }
        try (Connection connection = connect("postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "could not create database " + name + ": " + e.getMessage(), e);
        }
        return name;
    }

    /** Runs SQL statements (separated by the driver's rules) against a database. */
    default void execute(String database, String... statements) {
        try (Connection connection = connect(database);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + database + ": " + e.getMessage(), e);
        }
    }

    /** Holds the counter for {@link #newDatabase(String)}. */
    final class Counter {
        private static final AtomicInteger NEXT = new AtomicInteger();

        private Counter() {}
    }
}
