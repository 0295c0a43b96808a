package dev.fraiseql.observers.connectors;

import dev.fraiseql.observers.core.config.connector.ConnectorConfig;
import dev.fraiseql.observers.core.config.connector.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Checks, before an engine starts, what Debezium would otherwise report late or not at all: that
 * the login works, that {@code wal_level} is {@code logical}, and that every listed table exists
 * (Debezium silently captures nothing from a table that is not there).
 */
final class PostgresPreflight {
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    private PostgresPreflight() {}

    /** The reason the connector cannot start, or empty when it can. */
    static Optional<Failure> check(ConnectorConfig config) {
        DatabaseSettings database = config.database();
        String url =
                "jdbc:postgresql://"
                        + database.host()
                        + ":"
                        + database.port()
                        + "/"
                        + database.name();
        Properties login = new Properties();
        login.setProperty("user", database.user());
        login.setProperty("password", database.password().reveal());
        login.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        login.setProperty("ApplicationName", "observers-preflight-" + config.name());

        try (Connection connection = DriverManager.getConnection(url, login)) {
            Optional<Failure> walLevel = checkWalLevel(connection);
            if (walLevel.isPresent()) {
                return walLevel;
            }
            return checkTables(connection, database.name(), config.tables());
        } catch (SQLException e) {
            return Optional.of(Failure.classify(e));
        }
    }

    private static Optional<Failure> checkWalLevel(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SHOW wal_level")) {
            result.next();
            String level = result.getString(1);
            if (!"logical".equals(level)) {
                return Optional.of(
                        Failure.permanent(
                                "the server has wal_level = "
                                        + level
                                        + ", and change capture needs logical; set wal_level ="
                                        + " logical in postgresql.conf and restart PostgreSQL"));
            }
            return Optional.empty();
        }
    }

    private static Optional<Failure> checkTables(
            Connection connection, String databaseName, List<String> tables) throws SQLException {
        List<String> missing = new ArrayList<>();
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            for (String table : tables) {
                statement.setString(1, table);
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    if (!result.getBoolean(1)) {
                        missing.add(table);
                    }
                }
            }
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                Failure.permanent(
                        (missing.size() == 1 ? "table " : "tables ")
                                + String.join(", ", missing)
                                + (missing.size() == 1 ? " does" : " do")
                                + " not exist in database "
                                + databaseName
                                + "; fix 'tables' in the connector file or create "
                                + (missing.size() == 1 ? "it" : "them")));
    }
}
