package dev.fraiseql.observers.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fraiseql.observers.core.action.WebhookSigner;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import dev.fraiseql.observers.core.config.app.ApplicationConfigLoader;
import dev.fraiseql.observers.ops.cli.dlq.DeadLetter;
import dev.fraiseql.observers.ops.cli.dlq.DeadLetterReader;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import dev.fraiseql.observers.testing.PostgresHarness;
import dev.fraiseql.observers.testing.WebhookReceiver;
import dev.fraiseql.observers.testing.WebhookReceiver.Request;
import dev.fraiseql.observers.testing.WebhookReceiver.Response;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code observers run} as its own process with a distinctive value for every kind of secret
 * the product handles, makes every action fail until it is dead-lettered, makes a connector fail,
 * hits every HTTP endpoint and runs the operator commands; then no byte of the process's stdout and
 * stderr (the product at DEBUG, Kafka and Debezium at INFO), of any HTTP answer, or of any
 * command's output holds a secret.
 *
 * <p>The embedded PostgreSQL trusts local logins and so accepts any password: the failing connector
 * logs in as a role that does not exist, with its own distinctive password.
 */
class SecretsNeverLeakIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String WEBHOOK_KEY =
            Base64.getEncoder()
                    .encodeToString(
                            ("canary-webhook-key-" + RUN).getBytes(StandardCharsets.US_ASCII));
    private static final String WEBHOOK_SECRET = "whsec_" + WEBHOOK_KEY;
    private static final String HEADER_TOKEN = "Bearer canary-header-token-" + RUN;
    private static final String SLACK_TOKEN = "canarySlackToken" + RUN;
    private static final String SMTP_PASSWORD = "canary-smtp-password-" + RUN;
    private static final String SEARCH_PASSWORD = "canary-search-password-" + RUN;
    private static final String SEARCH_BASIC =
            Base64.getEncoder()
                    .encodeToString(
                            ("elastic:" + SEARCH_PASSWORD).getBytes(StandardCharsets.UTF_8));
    private static final String DB_PASSWORD = "canary-db-password-" + RUN;
    private static final String BAD_DB_PASSWORD = "canary-bad-db-password-" + RUN;
    private static final String KAFKA_PASSWORD = "canary-kafka-password-" + RUN;

    private final KafkaHarness kafka = Harnesses.kafka();
    private final PostgresHarness postgres = Harnesses.postgres();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopTheProcesses() throws InterruptedException {
        for (Process process : processes) {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Every secret value, by what it is; none may appear anywhere. */
    private static Map<String, String> secrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("webhook signing secret", WEBHOOK_SECRET);
        secrets.put("webhook signing key", WEBHOOK_KEY);
        secrets.put("webhook Authorization header", "canary-header-token-" + RUN);
        secrets.put("Slack webhook URL token", SLACK_TOKEN);
        secrets.put("SMTP password", SMTP_PASSWORD);
        secrets.put("search password", SEARCH_PASSWORD);
        secrets.put("search basic credentials", SEARCH_BASIC);
        secrets.put("database password", DB_PASSWORD);
        secrets.put("refused database password", BAD_DB_PASSWORD);
        secrets.put("Kafka key password", KAFKA_PASSWORD);
        return secrets;
    }

    private static Map<String, String> environment() {
        return Map.of(
                "CANARY_WEBHOOK_SECRET", WEBHOOK_SECRET,
                "CANARY_HEADER_TOKEN", HEADER_TOKEN,
                "CANARY_SMTP_PASSWORD", SMTP_PASSWORD,
                "CANARY_SEARCH_PASSWORD", SEARCH_PASSWORD,
                "CANARY_DB_PASSWORD", DB_PASSWORD,
                "CANARY_BAD_DB_PASSWORD", BAD_DB_PASSWORD,
                "CANARY_KAFKA_PASSWORD", KAFKA_PASSWORD);
    }

    @Test
    void noSecretReachesTheLogsTheHttpAnswersOrTheCommandOutput(@TempDir Path dir)
            throws Exception {
        // Arrange: a table, receivers that always fail, a config folder naming every secret.
        String database = postgres.newDatabase("secrets");
        postgres.execute(
                database, "CREATE TABLE public.orders (id int PRIMARY KEY, status text NOT NULL)");
        String name = kafka.uniqueName("secrets").replace('-', '_').toLowerCase();
        List<String> captured = new ArrayList<>();
        try (WebhookReceiver hooks = WebhookReceiver.start();
                WebhookReceiver slack = WebhookReceiver.start();
                WebhookReceiver search = WebhookReceiver.start()) {
            hooks.respond(Response.status(500).body("webhook receiver is down"));
            slack.respond(Response.status(500).body("slack is down"));
            search.respond(Response.status(401).body("{\"error\":\"unauthorized\"}"));
            Path config = writeConfig(dir, name, database, hooks, slack, search);

            // Act: run the app, change a row, wait for all four jobs in the DLQ.
            Process app = start(dir, "app", "run", "--config", config.toString());
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> !app.isAlive() || slotActive(database));
            assertThat(app.isAlive()).as(tail(dir, "app")).isTrue();
            postgres.execute(database, "INSERT INTO public.orders VALUES (1, 'new')");
            ApplicationConfig application = loadApplication(config);
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> deadLetters(application).size() == 4);
            String url = endpointUrl(dir);
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> get(url + "/health").contains("role \\\"canary_nobody\\\""));

            for (String path :
                    List.of(
                            "/health",
                            "/health/live",
                            "/health/ready",
                            "/metrics",
                            "/observers",
                            "/entities/public.orders/1",
                            "/entities/public.orders/2")) {
                captured.add("GET " + path + "\n" + get(url + path));
            }
            String jobId = deadLetters(application).get(0).job().getJobId();
            for (List<String> command :
                    List.of(
                            List.of("validate", config.toString()),
                            List.of("dlq", "list", "--config", config.toString()),
                            List.of("dlq", "stats", "--config", config.toString()),
                            List.of("dlq", "show", jobId, "--config", config.toString()),
                            List.of("topics", "check", "--config", config.toString()))) {
                captured.add(runToEnd(dir, command));
            }
            Path broken = writeBrokenConfig(dir);
            String validateBroken = runToEnd(dir, List.of("validate", broken.toString()));
            String runBroken = runToEnd(dir, List.of("run", "--config", broken.toString()));
            captured.add(validateBroken);
            captured.add(runBroken);
            app.destroy();
            assertThat(app.waitFor(90, TimeUnit.SECONDS)).as(tail(dir, "app")).isTrue();
            captured.add(Files.readString(dir.resolve("app.stdout.log")));
            captured.add(Files.readString(dir.resolve("app.stderr.log")));

            // Assert: the secrets were really used...
            Request hook = hooks.requests().get(0);
            assertThat(hook.header("authorization")).contains(HEADER_TOKEN);
            assertThat(
                            WebhookSigner.forSecret(WEBHOOK_SECRET)
                                    .verify(
                                            hook.header("webhook-id").orElseThrow(),
                                            Long.parseLong(
                                                    hook.header("webhook-timestamp").orElseThrow()),
                                            hook.body(),
                                            hook.header("webhook-signature").orElseThrow()))
                    .isTrue();
            assertThat(slack.requests().get(0).path()).contains(SLACK_TOKEN);
            assertThat(search.requests().get(0).header("authorization"))
                    .contains("Basic " + SEARCH_BASIC);
            assertThat(validateBroken)
                    .contains("(exit 2)")
                    .contains("slack.url: [hidden] is not an http or https URL")
                    .contains("'htp://[hidden]@search.internal:9200' is not an http")
                    .contains("webhook.secrett: unknown option");
            assertThat(runBroken)
                    .contains("(exit 2)")
                    .contains("http.port: expected a whole number");
            String everything = String.join("\n", captured);
            assertThat(everything)
                    .contains(" DEBUG [")
                    .contains("[app] STOPPING -> STOPPED")
                    .contains("4 job(s) waiting in the DLQ")
                    .contains("canary_nobody");
        }

        // ...and none of them appears anywhere.
        String everything = String.join("\n", captured);
        secrets()
                .forEach(
                        (what, value) ->
                                assertThat(everything)
                                        .as("the %s must not appear", what)
                                        .doesNotContain(value));
    }

    private Path writeConfig(
            Path dir,
            String name,
            String database,
            WebhookReceiver hooks,
            WebhookReceiver slack,
            WebhookReceiver search)
            throws Exception {
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(
                config.resolve("application.yaml"),
                String.join(
                        "\n",
                        "prefix: " + name,
                        "kafka:",
                        "  bootstrap.servers: '" + kafka.bootstrapServers() + "'",
                        "  ssl.key.password: ${env:CANARY_KAFKA_PASSWORD}",
                        "topics: {partitions: 1, replication: 1}",
                        "http: {host: 127.0.0.1, port: 0}",
                        "state: {dir: '" + dir.resolve("state") + "'}",
                        "shutdown: {timeout: 10s}",
                        ""));
        Path connectors = Files.createDirectories(config.resolve("connectors"));
        Files.writeString(
                connectors.resolve("orders.yaml"),
                connector(name, database, postgres.user(), "CANARY_DB_PASSWORD"));
        Files.writeString(
                connectors.resolve("billing.yaml"),
                connector(name + "_billing", database, "canary_nobody", "CANARY_BAD_DB_PASSWORD"));

        String retry =
                "        retry: {max_attempts: 2, initial_delay: 1s, multiplier: 2,"
                        + " max_delay: 2s, jitter: 0}";
        String slackUrl =
                "http://127.0.0.1:" + slack.port() + "/services/T0CANARY/B0CANARY/" + SLACK_TOKEN;
        Files.createDirectories(config.resolve("observers"));
        Files.writeString(
                config.resolve("observers").resolve("orders.yaml"),
                String.join(
                        "\n",
                        "observers:",
                        "  - name: order-created",
                        "    entity: public.orders",
                        "    on: [create]",
                        "    actions:",
                        "      - webhook:",
                        "          url: " + hooks.url("/orders"),
                        "          secret: ${env:CANARY_WEBHOOK_SECRET}",
                        "          headers: {Authorization: '${env:CANARY_HEADER_TOKEN}'}",
                        retry,
                        "      - slack:",
                        "          url: " + slackUrl,
                        "          text: 'order {{key.id}} created'",
                        retry,
                        "      - email:",
                        "          smtp_host: 127.0.0.1",
                        "          smtp_port: " + closedPort(),
                        "          starttls: 'off'",
                        "          username: observers",
                        "          password: ${env:CANARY_SMTP_PASSWORD}",
                        "          from: observers@example.test",
                        "          to: ops@example.test",
                        "          timeout: 2s",
                        retry,
                        "      - search:",
                        "          url: " + search.url(""),
                        "          index: orders",
                        "          username: elastic",
                        "          password: ${env:CANARY_SEARCH_PASSWORD}",
                        retry,
                        ""));
        return config;
    }

    /** A folder where secrets sit in wrong places: every problem report must still hide them. */
    private static Path writeBrokenConfig(Path dir) throws Exception {
        Path config = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(
                config.resolve("application.yaml"),
                String.join(
                        "\n",
                        "kafka:",
                        "  bootstrap.servers: 127.0.0.1:9",
                        "  ssl.key.password: [ '${env:CANARY_KAFKA_PASSWORD}' ]",
                        "http: {port: nope}",
                        ""));
        Files.createDirectories(config.resolve("connectors"));
        Files.writeString(
                config.resolve("connectors").resolve("bad.yaml"),
                String.join(
                        "\n",
                        "name: bad",
                        "type: postgres",
                        "database:",
                        "  host: 127.0.0.1",
                        "  port: nope",
                        "  name: shop",
                        "  user: shop",
                        "  password: [ '${env:CANARY_BAD_DB_PASSWORD}' ]",
                        "tables: [public.orders]",
                        ""));
        Files.createDirectories(config.resolve("observers"));
        Files.writeString(
                config.resolve("observers").resolve("orders.yaml"),
                String.join(
                        "\n",
                        "observers:",
                        "  - name: order-created",
                        "    entity: public.orders",
                        "    on: [create]",
                        "    actions:",
                        "      - webhook:",
                        "          url: https://hooks.example.test/orders",
                        "          secret: 'whsec_!!${env:CANARY_SMTP_PASSWORD}'",
                        "          secrett: ${env:CANARY_WEBHOOK_SECRET}",
                        "      - slack:",
                        "          url: hooks.slack.com/services/T0/B0/" + SLACK_TOKEN,
                        "          text: hi",
                        "      - search:",
                        "          url:"
                            + " 'htp://elastic:${env:CANARY_SEARCH_PASSWORD}@search.internal:9200'",
                        "          index: orders",
                        ""));
        return config;
    }

    private String connector(String name, String database, String user, String passwordVariable) {
        return String.join(
                "\n",
                "name: " + name,
                "type: postgres",
                "database:",
                "  host: " + postgres.host(),
                "  port: " + postgres.port(),
                "  name: " + database,
                "  user: " + user,
                "  password: ${env:" + passwordVariable + "}",
                "tables: [public.orders]",
                "topic_prefix: " + name,
                "");
    }

    /** A loopback port with nothing listening on it (bound, then released). */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static ApplicationConfig loadApplication(Path config) throws Exception {
        return new ApplicationConfigLoader(EnvExpander.of(environment()))
                .parse(
                        Files.readString(config.resolve("application.yaml")),
                        "application.yaml",
                        config);
    }

    private static List<DeadLetter> deadLetters(ApplicationConfig application) {
        return new DeadLetterReader(application, Duration.ofSeconds(10)).readAll();
    }

    private String get(String url) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + "\n" + response.headers().map() + "\n" + response.body();
    }

    /** The endpoint's base URL, from the line the app logs when it runs. */
    private static String endpointUrl(Path dir) throws Exception {
        String log = Files.readString(dir.resolve("app.stderr.log"));
        int at = log.indexOf("[app] running; health at ");
        assertThat(at).as("the app logs where it serves").isNotNegative();
        String rest = log.substring(at + "[app] running; health at ".length());
        return rest.substring(0, rest.indexOf("/health"));
    }

    /** Runs a command to its end; its stdout and stderr, labelled. */
    private String runToEnd(Path dir, List<String> arguments) throws Exception {
        String label = "cli-" + processes.size();
        Process process = start(dir, label, arguments.toArray(String[]::new));
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(tail(dir, label)).isTrue();
        return "$ observers "
                + String.join(" ", arguments)
                + " (exit "
                + process.exitValue()
                + ")\n"
                + Files.readString(dir.resolve(label + ".stdout.log"))
                + Files.readString(dir.resolve(label + ".stderr.log"));
    }

    /**
     * The product's main class in a JVM of its own with the secrets in its environment; the product
     * logs at DEBUG, Kafka and Debezium at INFO, everything to stderr.
     */
    private Process start(Path dir, String label, String... arguments) throws Exception {
        Path logback = dir.resolve("logback-secrets.xml");
        if (!Files.exists(logback)) {
            Files.writeString(
                    logback,
                    String.join(
                            "\n",
                            "<configuration>",
                            "  <appender name='STDERR'"
                                    + " class='ch.qos.logback.core.ConsoleAppender'>",
                            "    <target>System.err</target>",
                            "    <encoder><pattern>%d %-5level [%thread] %logger - %msg%n"
                                    + "</pattern></encoder>",
                            "  </appender>",
                            "  <logger name='dev.fraiseql.observers' level='DEBUG'/>",
                            "  <root level='INFO'><appender-ref ref='STDERR'/></root>",
                            "</configuration>",
                            ""));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.addAll(
                List.of(
                        java,
                        "-Xmx512m",
                        "-Dlogback.configurationFile=" + logback,
                        "-cp",
                        System.getProperty("java.class.path"),
                        ObserversCommand.class.getName()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectOutput(dir.resolve(label + ".stdout.log").toFile())
                        .redirectError(dir.resolve(label + ".stderr.log").toFile());
        builder.environment().putAll(environment());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private boolean slotActive(String database) throws Exception {
        try (var connection = postgres.connect("postgres");
                var statement = connection.createStatement();
                var result =
                        statement.executeQuery(
                                "SELECT count(*) FROM pg_replication_slots WHERE active AND"
                                        + " database = '"
                                        + database
                                        + "'")) {
            result.next();
            return result.getInt(1) > 0;
        }
    }

    /** The tail of a process's log, as the description of a failed assertion. */
    private static String tail(Path dir, String label) {
        try {
            String text = Files.readString(dir.resolve(label + ".stderr.log"));
            return label
                    + " log (last 6000 characters):"
                    + File.separator
                    + "\n"
                    + text.substring(Math.max(0, text.length() - 6000));
        } catch (Exception e) {
            return "no log for " + label + ": " + e;
        }
    }
}
