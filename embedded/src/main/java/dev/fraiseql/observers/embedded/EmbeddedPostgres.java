package dev.fraiseql.observers.embedded;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started from binaries that Maven provides ({@code io.zonky.test}),
 * configured for logical replication ({@code wal_level=logical}) so that Debezium's {@code
 * pgoutput} plugin can read changes from it.
 *
 * <p>The superuser is {@code postgres}; local connections are trusted, so any password is accepted.
 * Use {@link #createDatabase(String)} to give each test or demo its own database.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);

    /** The superuser name of the embedded server. */
    public static final String SUPERUSER = "postgres";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
        this.server = server;
    }

    /** Starts a server on a free loopback port with logical replication enabled. */
    public static EmbeddedPostgres start() {
        long startNanos = System.nanoTime();
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
        try {
            server =
                    io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                            .setServerConfig("wal_level", "logical")
                            .setServerConfig("max_wal_senders", "20")
                            .setServerConfig("max_replication_slots", "20")
                            .setServerConfig("max_connections", "200")
                            .setServerConfig("listen_addresses", "127.0.0.1")
                            .start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Could not start the embedded PostgreSQL server: " + e, e);
        }

        EmbeddedPostgres postgres = new EmbeddedPostgres(server);
        log.info(
                "Embedded PostgreSQL ready on 127.0.0.1:{} in {} ms",
                postgres.port(),
                Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
        return postgres;
    }

    /** The loopback host the server listens on. */
    public String host() {
        return "127.0.0.1";
    }

    /** The TCP port the server listens on. */
    public int port() {
        return server.getPort();
    }

    /** A JDBC URL for the given database on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** A data source for the given database, connecting as the superuser. */
    public DataSource dataSource(String database) {
        return server.getDatabase(SUPERUSER, database);
    }

    /**
     * Creates a database with the given name (lower-case letters, digits and underscores) and
     * returns its name.
     */
    public String createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException(
                    "database name '"
                            + name
                            + "' must be lower-case letters, digits and underscores");
        }
        try (Connection connection = dataSource("postgres").getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Could not create database '" + name + "': " + e.getMessage(), e);
        }
        return name;
    }

    @Override
    public void close() {
        try {
            server.close();
            log.info("Embedded PostgreSQL on port {} stopped", port());
        } catch (IOException e) {
            log.warn("The embedded PostgreSQL server did not stop cleanly: {}", e.toString());
        }
    }
}
