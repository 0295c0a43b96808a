package dev.fraiseql.observers.core.config.connector;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What kind of database a connector reads: one of the short names {@code postgres}, {@code mysql},
 * {@code mariadb}, or any Debezium connector class given in full.
 *
 * @param name the name as written in the connector file
 * @param kind the database family the product knows defaults for, or {@link Kind#OTHER}
 * @param connectorClass the Debezium connector class that reads it
 */
public record ConnectorType(String name, Kind kind, String connectorClass) {

    /** The database families the product knows defaults for. */
    public enum Kind {
        POSTGRES,
        MYSQL,
        MARIADB,
        OTHER
    }

    /** The short names a connector file may use for {@code type}. */
    public static final List<String> SHORT_NAMES = List.of("postgres", "mysql", "mariadb");

    private static final String POSTGRES_CLASS =
            "io.debezium.connector.postgresql.PostgresConnector";
    private static final String MYSQL_CLASS = "io.debezium.connector.mysql.MySqlConnector";
    private static final String MARIADB_CLASS = "io.debezium.connector.mariadb.MariaDbConnector";

    public ConnectorType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(connectorClass, "connectorClass");
    }

    /**
     * The type for a name from a connector file, or empty when it is neither a short name nor a
     * fully qualified class name.
     *
     * <p>MariaDB is read with Debezium's own MariaDB connector: the MySQL connector of Debezium 3
     * refuses MariaDB 10 and later (it takes the version for a MySQL 8.4 one). That connector's jar
     * ({@code io.debezium:debezium-connector-mariadb}) must be on the classpath.
     */
    public static Optional<ConnectorType> parse(String text) {
        String name = text.trim();
        switch (name.toLowerCase(Locale.ROOT)) {
            case "postgres", "postgresql" -> {
                return Optional.of(new ConnectorType(name, Kind.POSTGRES, POSTGRES_CLASS));
            }
            case "mysql" -> {
                return Optional.of(new ConnectorType(name, Kind.MYSQL, MYSQL_CLASS));
            }
            case "mariadb" -> {
                return Optional.of(new ConnectorType(name, Kind.MARIADB, MARIADB_CLASS));
            }
            default -> {
                if (name.matches("([a-zA-Z_$][a-zA-Z0-9_$]*\\.)+[a-zA-Z_$][a-zA-Z0-9_$]*")) {
                    return Optional.of(new ConnectorType(name, kindOfClass(name), name));
                }
                return Optional.empty();
            }
        }
    }

    /** True for the databases that keep their schema history in a topic (the binlog family). */
    public boolean needsSchemaHistory() {
        return kind == Kind.MYSQL || kind == Kind.MARIADB;
    }

    private static Kind kindOfClass(String className) {
        return switch (className) {
            case POSTGRES_CLASS -> Kind.POSTGRES;
            case MYSQL_CLASS -> Kind.MYSQL;
            case MARIADB_CLASS -> Kind.MARIADB;
            default -> Kind.OTHER;
        };
    }
}
