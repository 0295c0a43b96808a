package dev.fraiseql.observers.connectors;

import dev.fraiseql.observers.testing.PostgresHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes PostgreSQL connector files for tests. */
final class ConnectorFiles {
    private ConnectorFiles() {}

    static Path writePostgres(
            Path folder,
            String name,
            PostgresHarness postgres,
            String database,
            String user,
            String password,
            List<String> tables) {
        String text =
                "name: "
                        + name
                        + "\ntype: postgres\ndatabase:\n  host: "
                        + postgres.host()
                        + "\n  port: "
                        + postgres.port()
                        + "\n  name: "
                        + database
                        + "\n  user: "
                        + user
                        + "\n  password: "
                        + password
                        + "\ntables: ["
                        + String.join(", ", tables)
                        + "]\ndebezium:\n  heartbeat.interval.ms: 1000\n";
        try {
            Files.createDirectories(folder);
            Path file = folder.resolve(name + ".yaml");
            // Write then move, as editors and config-map updates do, so a scan never reads half a
            // file.
            Path temp = Files.writeString(folder.resolve("." + name + ".tmp"), text);
            return Files.move(
                    temp,
                    file,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
