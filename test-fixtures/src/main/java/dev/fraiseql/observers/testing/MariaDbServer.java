package dev.fraiseql.observers.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB server for change-capture tests, started from the machine's own packages ({@code
 * apt-get install mariadb-server}; {@code .ci/run} installs it) on a free loopback port with a
 * temporary data folder and a row-based binary log, and stopped when the JVM exits. One server per
 * test JVM; tests isolate themselves by database name.
 *
 * <p>Tests that need it call {@link #shared()}, which skips them (a JUnit assumption naming what is
 * missing) when {@code mariadbd} is not installed.
 */
public final class MariaDbServer {
    private static final Logger log = LoggerFactory.getLogger(MariaDbServer.class);

    /** The user tests and connectors log in as; it has every privilege, replication included. */
    public static final String USER = "cdc";

    /** That user's password. */
    public static final String PASSWORD = "cdc-password";

    private static final List<Path> SERVER_BINARIES =
            List.of(Path.of("/usr/sbin/mariadbd"), Path.of("/usr/bin/mariadbd"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static MariaDbServer shared;

    private final Process process;
    private final Path dataDir;
    private final int port;

    private MariaDbServer(Process process, Path dataDir, int port) {
        this.process = process;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** The server of this JVM, started on first use; skips the calling test without MariaDB. */
    public static synchronized MariaDbServer shared() {
        Optional<Path> binary = SERVER_BINARIES.stream().filter(Files::isExecutable).findFirst();
        Assumptions.assumeTrue(
                binary.isPresent(),
                "MariaDB is not installed (no mariadbd in /usr/sbin or /usr/bin); install it with"
                        + " 'apt-get install mariadb-server' to run this test");
        if (shared == null) {
            shared = start(binary.get());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "mariadb-shutdown"));
        }
        return shared;
    }

    /** The loopback host the server listens on. */
    public String host() {
        return "127.0.0.1";
    }

    /** The TCP port the server listens on. */
    public int port() {
        return port;
    }

    /** Runs SQL through the {@code mariadb} client as the server's root user. */
    public void execute(String sql) {
        run(
                List.of(
                        "mariadb",
                        "--no-defaults",
                        "--socket=" + socket(dataDir),
                        "--user=root",
                        "--batch",
                        "--execute=" + sql),
                Duration.ofSeconds(60));
    }

    private static MariaDbServer start(Path binary) {
        long startNanos = System.nanoTime();
        try {
            Path dataDir = Files.createTempDirectory("observers-mariadb");
            run(
                    List.of(
                            "mariadb-install-db",
                            "--no-defaults",
                            "--user=root",
                            "--datadir=" + dataDir,
                            "--auth-root-authentication-method=socket",
                            "--skip-test-db"),
                    Duration.ofMinutes(2));

            int port = freePort();
            Process process =
                    new ProcessBuilder(
                                    binary.toString(),
                                    "--no-defaults",
                                    "--user=root",
                                    "--datadir=" + dataDir,
                                    "--socket=" + socket(dataDir),
                                    "--pid-file=" + dataDir.resolve("mariadb.pid"),
                                    "--bind-address=127.0.0.1",
                                    "--port=" + port,
                                    "--server-id=1",
                                    "--log-bin=" + dataDir.resolve("binlog"),
                                    "--binlog-format=ROW",
                                    "--binlog-row-image=FULL",
                                    "--skip-name-resolve",
                                    "--innodb-buffer-pool-size=64M",
                                    "--log-error=" + dataDir.resolve("error.log"))
                            .redirectErrorStream(true)
                            .redirectOutput(dataDir.resolve("stdout.log").toFile())
                            .start();
            MariaDbServer server = new MariaDbServer(process, dataDir, port);
            server.awaitReady();
            server.execute(
                    "CREATE USER '"
                            + USER
                            + "'@'%' IDENTIFIED BY '"
                            + PASSWORD
                            + "'; GRANT ALL PRIVILEGES ON *.* TO '"
                            + USER
                            + "'@'%' WITH GRANT OPTION;");
            log.info(
                    "MariaDB ready on 127.0.0.1:{} in {} ms (data in {})",
                    port,
                    Duration.ofNanos(System.nanoTime() - startNanos).toMillis(),
                    dataDir);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start MariaDB: " + e, e);
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "MariaDB exited with " + process.exitValue() + ": " + errorLog());
            }
            Process ping =
                    new ProcessBuilder(
                                    "mariadb-admin",
                                    "--no-defaults",
                                    "--socket=" + socket(dataDir),
                                    "--user=root",
                                    "--connect-timeout=2",
                                    "ping")
                            .redirectErrorStream(true)
                            .start();
            try {
                if (ping.waitFor(10, TimeUnit.SECONDS) && ping.exitValue() == 0) {
                    return;
                }
                // Not accepting connections yet: ask again after a short pause.
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while MariaDB was starting", e);
            }
        }
        throw new IllegalStateException(
                "MariaDB did not answer within " + START_TIMEOUT.toSeconds() + " s: " + errorLog());
    }

    private String errorLog() {
        try {
            return Files.readString(dataDir.resolve("error.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no error log: " + e + ")";
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path socket(Path dataDir) {
        return dataDir.resolve("mariadb.sock");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void run(List<String> command, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish in " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        command.get(0) + " failed with " + process.exitValue() + ": " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command.get(0) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }
}
