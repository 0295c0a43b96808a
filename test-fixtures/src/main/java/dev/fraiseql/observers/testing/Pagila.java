package dev.fraiseql.observers.testing;

import dev.fraiseql.observers.embedded.SqlScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
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
            SqlScript.run(connection, sample.resolve(SCHEMA_FILE));
            SqlScript.run(connection, sample.resolve(DATA_FILE));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(
                    "could not load Pagila into " + database + ": " + e.getMessage(), e);
        }
        log.info(
                "Pagila loaded into {} in {} ms",
                database,
                Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
    }

    private static boolean isSample(Path dir) {
        return Files.isRegularFile(dir.resolve(SCHEMA_FILE))
                && Files.isRegularFile(dir.resolve(DATA_FILE));
    }
}
