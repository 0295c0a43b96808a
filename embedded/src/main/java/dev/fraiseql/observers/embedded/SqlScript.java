package dev.fraiseql.observers.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Runs a PostgreSQL script of the kind {@code pg_dump} writes in plain format: SQL statements with
 * {@code COPY ... FROM stdin;} blocks between them. The plain SQL between blocks goes to the server
 * as one multi-statement script; each block's rows are streamed through the driver's COPY protocol
 * until its {@code \.} line, which a plain JDBC statement cannot do.
 *
 * <p>A script with COPY blocks is run with {@code session_replication_role = replica}: a dump lists
 * its tables alphabetically, not in foreign-key order, and this is what {@code pg_dump
 * --disable-triggers} does as well. It needs a superuser, which the embedded server's user is.
 *
 * <p>Limit: {@code COPY ... FROM stdin} must start a line and end with {@code FROM stdin;} on that
 * same line (as {@code pg_dump} writes it); psql meta-commands ({@code \connect}, {@code \set}) are
 * not understood.
 */
public final class SqlScript {
    private static final String COPY_START = "COPY ";
    private static final String COPY_END = "FROM stdin;";
    private static final String COPY_TERMINATOR = "\\.";

    private SqlScript() {}

    /**
     * Runs the file on the connection.
     *
     * @throws SQLException with the file name and the failing part in the message
     * @throws IOException when the file cannot be read
     */
    public static void run(Connection connection, Path file) throws SQLException, IOException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(file, "file");
        boolean hasCopy = containsCopy(file);
        if (hasCopy) {
            execute(connection, "SET session_replication_role = replica", file);
        }

        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        StringBuilder sql = new StringBuilder();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (isCopyStart(line)) {
                    execute(connection, sql.toString(), file);
                    sql.setLength(0);
                    String command = line.substring(0, line.length() - 1);
                    try {
                        copy.copyIn(command, new StringReader(copyRows(reader)));
                    } catch (SQLException e) {
                        throw new SQLException(file + ": " + command + ": " + e.getMessage(), e);
                    }
                } else {
                    sql.append(line).append('\n');
                }
            }
        }
        execute(connection, sql.toString(), file);

        if (hasCopy) {
            execute(connection, "SET session_replication_role = DEFAULT", file);
        }
    }

    private static boolean containsCopy(Path file) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.anyMatch(SqlScript::isCopyStart);
        }
    }

    private static boolean isCopyStart(String line) {
        return line.startsWith(COPY_START) && line.endsWith(COPY_END);
    }

    private static void execute(Connection connection, String sql, Path file) throws SQLException {
        if (sql.isBlank()) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new SQLException(file + ": " + e.getMessage(), e.getSQLState(), e);
        }
    }

    private static String copyRows(BufferedReader reader) throws IOException {
        StringBuilder rows = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null && !line.equals(COPY_TERMINATOR)) {
            rows.append(line).append('\n');
        }
        return rows.toString();
    }
}
