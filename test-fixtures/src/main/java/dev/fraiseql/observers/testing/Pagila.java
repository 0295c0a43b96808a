package dev.fraiseql.observers.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Pagila sample database (a DVD rental shop: enums, domains, arrays, full-text columns, a
 * partitioned {@code payment} table, triggers), loaded into a test database.
 *
 * <p>The sample is not part of this repository. It is looked up, in order, at the system property
 * {@code observers.shared.dir} plus {@code /data/pagila}, then in {@code shared/data/pagila} of the
 * working directory and of each of its parents. Tests that need it call {@link #require()}, which
 * skips them with the places searched when it is absent.
 */
public final class Pagila {
    private static final Logger log = LoggerFactory.getLogger(Pagila.class);

    /** The system property naming the shared folder that holds {@code data/pagila}. */
    public static final String SHARED_DIR_PROPERTY = "observers.shared.dir";

    private static final String SCHEMA_FILE = "pagila-schema.sql";
    private static final String DATA_FILE = "pagila-data.sql";

    private Pagila() {}

    /** The folder that holds the sample, when one is found. */
    public static Optional<Path> find() {
        String shared = System.getProperty(SHARED_DIR_PROPERTY);
        if (shared != null && !shared.isBlank()) {
            Path candidate = Path.of(shared, "data", "pagila");
            if (isSample(candidate)) {
                return Optional.of(candidate.normalize());
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data").resolve("pagila");
            if (isSample(candidate)) {
                return Optional.of(candidate.normalize());
            }
        }
        return Optional.empty();
    }

    /** The sample folder; skips the calling test (a JUnit assumption) when there is none. */
    public static Path require() {
        Optional<Path> found = find();
        Assumptions.assumeTrue(
                found.isPresent(),
                () ->
                        "Pagila sample not found: looked in ${"
                                + SHARED_DIR_PROPERTY
                                + "}/data/pagila ("
                                + System.getProperty(SHARED_DIR_PROPERTY)
                                + ") and in shared/data/pagila above "
                                + Path.of("").toAbsolutePath()
                                + "; the test needs "
                                + SCHEMA_FILE
                                + " and "
                                + DATA_FILE);
        return found.orElseThrow();
    }

    /**
     * Loads the schema and then the data into an existing, empty database. Skips the calling test
     * when the sample is absent.
     */
    public static void load(PostgresHarness postgres, String database) {
        Path sample = require();
        long startNanos = System.nanoTime();
        try (Connection connection = postgres.connect(database)) {
            executeScript(connection, Files.readString(sample.resolve(SCHEMA_FILE)));
            loadData(connection, sample.resolve(DATA_FILE));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(
                    "could not load Pagila into " + database + ": " + e.getMessage(), e);
        }
        log.info(
                "Pagila loaded into {} in {} ms",
                database,
                Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
    }

    private static void executeScript(Connection connection, String sql) throws SQLException {
        if (sql.isBlank()) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * Runs a pg_dump data file: plain SQL between {@code COPY ... FROM stdin;} blocks, each block's
     * rows streamed through the driver's COPY protocol until the {@code \.} line.
     */
    private static void loadData(Connection connection, Path file)
            throws SQLException, IOException {
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        try (Statement statement = connection.createStatement()) {
            // The dump lists tables alphabetically, not in foreign-key order (store and staff
            // refer to each other); pg_dump's own --disable-triggers does the same as this.
            statement.execute("SET session_replication_role = replica");
        }
        StringBuilder sql = new StringBuilder();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("COPY ") && line.endsWith("FROM stdin;")) {
                    executeScript(connection, sql.toString());
                    sql.setLength(0);
                    copy.copyIn(
                            line.substring(0, line.length() - 1),
                            new StringReader(copyRows(reader)));
                } else {
                    sql.append(line).append('\n');
                }
            }
        }
        executeScript(connection, sql.toString());
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET session_replication_role = DEFAULT");
        }
    }

    private static String copyRows(BufferedReader reader) throws IOException {
        StringBuilder rows = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null && !line.equals("\\.")) {
            rows.append(line).append('\n');
        }
        return rows.toString();
    }

    private static boolean isSample(Path dir) {
        return Files.isRegularFile(dir.resolve(SCHEMA_FILE))
                && Files.isRegularFile(dir.resolve(DATA_FILE));
    }
}
