package dev.fraiseql.observers.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import dev.fraiseql.observers.testing.PostgresHarness;
import dev.fraiseql.observers.testing.WebhookReceiver;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code observers run --config <dir>} as its own process, the way an operator runs it: a config
 * folder on disk, the shared broker and database, real SQL changes, deliveries on a loopback
 * receiver, and SIGTERM to stop it.
 */
class RunProcessIT {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private final KafkaHarness kafka = Harnesses.kafka();
    private final PostgresHarness postgres = Harnesses.postgres();
    private Process process;

    @AfterEach
    void stopTheProcess() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shippedOrdersReachTheWebhookAndSigtermStopsTheProcessCleanly(@TempDir Path dir)
            throws Exception {
        // Arrange: a database, a receiver, and a config folder naming both.
        String database = postgres.newDatabase("run_process");
        postgres.execute(
                database,
                "CREATE TABLE public.orders (id int PRIMARY KEY, status text NOT NULL,"
                        + " amount numeric(10,2) NOT NULL)");
        String name = kafka.uniqueName("run").replace('-', '_').toLowerCase();
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            Path config = writeConfig(dir, name, database, receiver);

            // Act: start the process, wait until it captures changes, change rows.
            process = start(config, dir);
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> !process.isAlive() || slotActive(database));
            assertThat(process.isAlive()).as(log(dir)).isTrue();
            postgres.execute(
                    database,
                    "INSERT INTO public.orders VALUES (1, 'new', 1250.50), (2, 'new', 10.00),"
                            + " (3, 'new', 99.99)",
                    "UPDATE public.orders SET status = 'shipped' WHERE id IN (1, 2)",
                    "UPDATE public.orders SET status = 'paid' WHERE id = 3");

            // Assert: one signed delivery per shipped order, nothing for the paid one.
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertThat(receiver.requests()).hasSize(2));
            List<WebhookReceiver.Request> requests = receiver.requests();
            assertThat(requests).extracting(WebhookReceiver.Request::path).containsOnly("/shipped");
            assertThat(requests)
                    .extracting(request -> request.header("webhook-id").orElseThrow())
                    .doesNotHaveDuplicates();
            assertThat(requests)
                    .allSatisfy(
                            request ->
                                    assertThat(request.header("webhook-signature"))
                                            .hasValueSatisfying(
                                                    signature ->
                                                            assertThat(signature)
                                                                    .startsWith("v1,")));
            assertThat(requests.stream().map(WebhookReceiver.Request::bodyText).toList())
                    .anySatisfy(body -> assertThat(body).contains("1250.50"))
                    .anySatisfy(body -> assertThat(body).contains("10.00"))
                    .noneSatisfy(body -> assertThat(body).contains("99.99"));

            // SIGTERM: the hook closes every part; the JVM ends with 128 + 15.
            process.destroy();
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as(log(dir)).isTrue();
            assertThat(process.exitValue()).isEqualTo(143);
            assertThat(Files.readString(dir.resolve("stderr.log")))
                    .contains("[app] STOPPING -> STOPPED")
                    .doesNotContain("did not close cleanly");
        }
    }

    private Path writeConfig(Path dir, String name, String database, WebhookReceiver receiver)
            throws Exception {
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(
                config.resolve("application.yaml"),
                String.join(
                        "\n",
                        "prefix: " + name,
                        "kafka: {bootstrap.servers: '" + kafka.bootstrapServers() + "'}",
                        "topics: {partitions: 1, replication: 1}",
                        "http: {host: 127.0.0.1, port: 0}",
                        "state: {dir: '" + dir.resolve("state") + "'}",
                        "shutdown: {timeout: 10s}",
                        ""));
        Files.createDirectories(config.resolve("connectors"));
        Files.writeString(
                config.resolve("connectors").resolve("orders.yaml"),
                String.join(
                        "\n",
                        "name: " + name,
                        "type: postgres",
                        "database:",
                        "  host: " + postgres.host(),
                        "  port: " + postgres.port(),
                        "  name: " + database,
                        "  user: " + postgres.user(),
                        "  password: '" + postgres.password() + "'",
                        "tables: [public.orders]",
                        "topic_prefix: " + name,
                        ""));
        Files.createDirectories(config.resolve("observers"));
        Files.writeString(
                config.resolve("observers").resolve("orders.yaml"),
                String.join(
                        "\n",
                        "observers:",
                        "  - name: order-shipped",
                        "    entity: public.orders",
                        "    on: [update]",
                        "    when: changed_to('status', 'shipped')",
                        "    actions:",
                        "      - webhook:",
                        "          url: " + receiver.url("/shipped"),
                        "          secret: " + SECRET,
                        ""));
        return config;
    }

    /** The product's main class on this test's class path, in a JVM of its own. */
    private static Process start(Path config, Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(
                        java,
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ObserversCommand.class.getName(),
                        "run",
                        "--config",
                        config.toString())
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .redirectError(dir.resolve("stderr.log").toFile())
                .start();
    }

    private boolean slotActive(String database) throws SQLException {
        try (Connection connection = postgres.connect("postgres");
                Statement statement = connection.createStatement();
                ResultSet result =
                        statement.executeQuery(
                                "SELECT count(*) FROM pg_replication_slots WHERE active AND"
                                        + " database = '"
                                        + database
                                        + "'")) {
            result.next();
            return result.getInt(1) > 0;
        }
    }

    /** The tail of the process's log, as the description of a failed assertion. */
    private static String log(Path dir) {
        try {
            String text = Files.readString(dir.resolve("stderr.log"));
            return "process log (last 4000 characters):"
                    + File.separator
                    + "\n"
                    + text.substring(Math.max(0, text.length() - 4000));
        } catch (Exception e) {
            return "no process log: " + e;
        }
    }
}
