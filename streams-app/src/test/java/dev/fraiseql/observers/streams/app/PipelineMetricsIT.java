package dev.fraiseql.observers.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fraiseql.observers.core.config.app.ApplicationConfigLoader;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import dev.fraiseql.observers.testing.PostgresHarness;
import dev.fraiseql.observers.testing.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product in one application (connector, topology, worker, HTTP endpoint) over a real
 * PostgreSQL and the real broker, read the way Prometheus reads it: by scraping {@code /metrics}.
 * The counters must move by exactly the numbers of events, duplicates and jobs the test made.
 */
class PipelineMetricsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? (\\S+)$");
    private static final Pattern QUERIED =
            Pattern.compile("\\b(fraiseql_observer_[a-z_]+|kafka_[a-z_]+)\\b");

    private final KafkaHarness kafka = Harnesses.kafka();
    private final PostgresHarness postgres = Harnesses.postgres();
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void countersMoveByTheEventsDuplicatesAndJobsOfTheWorkload(@TempDir Path dir) throws Exception {
        // Arrange: a table, a receiver, and the product on both, ready.
        String database = postgres.newDatabase("pipeline_metrics");
        postgres.execute(
                database,
                "CREATE TABLE public.orders (id int PRIMARY KEY, status text NOT NULL,"
                        + " amount numeric(10,2) NOT NULL)");
        String name = kafka.uniqueName("metrics").replace('-', '_').toLowerCase();
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            // /paid fails once then takes the job; /gone refuses for good (410 goes to the DLQ).
            AtomicInteger paidCalls = new AtomicInteger();
            receiver.respondWith(
                    request ->
                            switch (request.path()) {
                                case "/paid" ->
                                        WebhookReceiver.Response.status(
                                                paidCalls.incrementAndGet() == 1 ? 500 : 204);
                                case "/gone" -> WebhookReceiver.Response.status(410);
                                default -> WebhookReceiver.Response.status(204);
                            });
            Path config = writeConfig(dir, name, database, receiver);
            try (ObserversApplication app =
                    ObserversApplication.create(
                            ApplicationConfigLoader.system().loadFolder(config))) {
                app.start();
                String url = app.endpointUrl().orElseThrow();
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> get(url + "/health/ready").statusCode() == 200);
                Scrape before = scrape(url);

                // Act 1: 4 inserts, 3 orders shipped, one paid, one deleted: 9 events and 5
                // jobs, of which the paid one is retried once and the deleted one dead-lettered.
                postgres.execute(
                        database,
                        "INSERT INTO public.orders VALUES (1, 'new', 10.00), (2, 'new', 20.00),"
                                + " (3, 'new', 30.00), (4, 'new', 40.00)",
                        "UPDATE public.orders SET status = 'shipped' WHERE id IN (1, 2, 3)",
                        "UPDATE public.orders SET status = 'paid' WHERE id = 4",
                        "DELETE FROM public.orders WHERE id = 4");
                await().atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(250))
                        .until(
                                () ->
                                        receiver.requests().size() == 6
                                                && scrape(url).delta(before, "job_failed") == 1
                                                && scrape(url).delta(before, "events_processed")
                                                        == 9);

                // Act 2: two change records arrive again, as after a connector restart.
                int resent = resendShippedChanges(name + ".public.orders", 2);
                await().atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> scrape(url).delta(before, "dedup_detected") == 2);
                // The queue gauges are read every 10 s: empty queues for 12 s include a reading
                // taken after all the work.
                await().atMost(Duration.ofSeconds(60))
                        .during(Duration.ofSeconds(12))
                        .pollInterval(Duration.ofMillis(500))
                        .until(
                                () -> {
                                    Scrape now = scrape(url);
                                    return now.value("job_queue_depth", Map.of()) == 0.0
                                            && now.value("backlog_size", Map.of()) == 0.0
                                            && now.value("job_dlq_items", Map.of()) == 1.0;
                                });
                await().during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> receiver.requests().size() == 6);
                Scrape after = scrape(url);
                JsonNode observers = JSON.readTree(get(url + "/observers").body());

                // Assert: every counter moved by exactly what the workload implies.
                assertThat(resent).isEqualTo(2);
                assertThat(after.delta(before, "events_processed", Map.of("op", "create")))
                        .isEqualTo(4);
                assertThat(after.delta(before, "events_processed", Map.of("op", "update")))
                        .isEqualTo(4);
                assertThat(after.delta(before, "events_processed", Map.of("op", "delete")))
                        .isEqualTo(1);
                assertThat(after.delta(before, "events_processed")).isEqualTo(9);
                assertThat(after.delta(before, "dedup_detected")).isEqualTo(2);
                assertThat(after.delta(before, "job_queued", Map.of("action_type", "webhook")))
                        .isEqualTo(5);
                assertThat(after.delta(before, "job_executed", Map.of("action_type", "webhook")))
                        .isEqualTo(4);
                assertThat(after.delta(before, "action_executed", Map.of("action_type", "webhook")))
                        .isEqualTo(4);
                assertThat(after.delta(before, "job_failed", Map.of("action_type", "webhook")))
                        .isEqualTo(1);
                assertThat(after.delta(before, "job_retry_attempts", Map.of("delay", "1s")))
                        .isEqualTo(1);
                assertThat(after.delta(before, "action_errors", Map.of("error_type", "http_5xx")))
                        .isEqualTo(1);
                assertThat(after.delta(before, "action_errors", Map.of("error_type", "http_4xx")))
                        .isEqualTo(1);
                assertThat(after.delta(before, "cache_evictions")).isEqualTo(1);
                assertThat(after.delta(before, "events_dlq")).isZero();
                assertThat(after.value("connector_up", Map.of("connector", name))).isEqualTo(1.0);
                assertThat(after.value("job_queue_depth", Map.of())).isZero();
                assertThat(after.value("backlog_size", Map.of())).isZero();
                assertThat(after.value("job_dlq_items", Map.of())).isEqualTo(1.0);
                assertThat(after.value("dlq_items", Map.of())).isZero();
                Map<String, JsonNode> byName = new java.util.TreeMap<>();
                observers.forEach(node -> byName.put(node.get("name").asText(), node));
                assertThat(byName).containsOnlyKeys("order-shipped", "order-paid", "order-gone");
                assertThat(byName.get("order-shipped").get("matched").asLong()).isEqualTo(3);
                assertThat(byName.get("order-shipped").get("evaluated").asLong()).isEqualTo(4);
                assertThat(byName.get("order-paid").get("matched").asLong()).isEqualTo(1);
                assertThat(byName.get("order-gone").get("matched").asLong()).isEqualTo(1);
                assertThat(receiver.requests())
                        .extracting(WebhookReceiver.Request::path)
                        .containsExactlyInAnyOrder(
                                "/shipped", "/shipped", "/shipped", "/paid", "/paid", "/gone");

                // And the dashboard and the alert rules query only series this scrape has (a
                // histogram may be named by its base name, whose series end in _count).
                Set<String> queried = queriedSeries(Path.of("..", "ops", "grafana"));
                queried.addAll(queriedSeries(Path.of("..", "ops", "prometheus")));
                assertThat(queried)
                        .allSatisfy(
                                series ->
                                        assertThat(after.names())
                                                .containsAnyOf(series, series + "_count"));
            }
        }
    }

    /**
     * The series names the files under a folder query: every {@code fraiseql_observer_*} and {@code
     * kafka_*} word of the dashboard's expressions and the alert rules.
     */
    private static Set<String> queriedSeries(Path folder) throws Exception {
        Set<String> names = new TreeSet<>();
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Matcher matcher = QUERIED.matcher(Files.readString(file));
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
        }
        assertThat(names).as("series queried under %s", folder).isNotEmpty();
        return names;
    }

    /** Produces again the first {@code count} update records of the change topic, unchanged. */
    private int resendShippedChanges(String topic, int count) {
        Properties consumerProperties = new Properties();
        consumerProperties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.uniqueName("resend"));
        List<ConsumerRecord<byte[], byte[]>> updates = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        consumerProperties,
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> {
                                for (ConsumerRecord<byte[], byte[]> record :
                                        consumer.poll(Duration.ofMillis(200))) {
                                    if (record.value() != null
                                            && new String(record.value()).contains("\"shipped\"")) {
                                        updates.add(record);
                                    }
                                }
                                return updates.size() >= count;
                            });
        }
        Properties producerProperties = new Properties();
        producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        producerProperties, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ConsumerRecord<byte[], byte[]> record : updates.subList(0, count)) {
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                record.partition(),
                                record.key(),
                                record.value(),
                                record.headers()));
            }
            producer.flush();
        }
        return count;
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Scrape scrape(String url) throws Exception {
        HttpResponse<String> response = get(url + "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return new Scrape(response.body());
    }

    /** One Prometheus text exposition, read by metric name and labels. */
    private record Scrape(String text) {
        /** The sum of the samples of {@code fraiseql_observer_<name>[_total]} with these labels. */
        double value(String name, Map<String, String> labels) {
            double sum = 0;
            for (String line : text.split("\n")) {
                Matcher sample = SAMPLE.matcher(line);
                if (!sample.matches()) {
                    continue;
                }
                String metric = sample.group(1);
                String base = "fraiseql_observer_" + name;
                if (!metric.equals(base) && !metric.equals(base + "_total")) {
                    continue;
                }
                String shown = sample.group(3) == null ? "" : sample.group(3);
                boolean all =
                        labels.entrySet().stream()
                                .allMatch(
                                        label ->
                                                shown.contains(
                                                        label.getKey()
                                                                + "=\""
                                                                + label.getValue()
                                                                + "\""));
                if (all) {
                    sum += Double.parseDouble(sample.group(4));
                }
            }
            return sum;
        }

        long delta(Scrape before, String name, Map<String, String> labels) {
            return Math.round(value(name, labels) - before.value(name, labels));
        }

        /** Every series name of the scrape. */
        Set<String> names() {
            Set<String> names = new TreeSet<>();
            for (String line : text.split("\n")) {
                Matcher sample = SAMPLE.matcher(line);
                if (sample.matches()) {
                    names.add(sample.group(1));
                }
            }
            return names;
        }

        long delta(Scrape before, String name) {
            return delta(before, name, Map.of());
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
                        "          secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                        "  - name: order-paid",
                        "    entity: public.orders",
                        "    on: [update]",
                        "    when: changed_to('status', 'paid')",
                        "    actions:",
                        "      - webhook:",
                        "          url: " + receiver.url("/paid"),
                        "        retry: { max_attempts: 3, initial_delay: 1s, jitter: 0 }",
                        "  - name: order-gone",
                        "    entity: public.orders",
                        "    on: [delete]",
                        "    actions:",
                        "      - webhook:",
                        "          url: " + receiver.url("/gone"),
                        ""));
        return config;
    }
}
