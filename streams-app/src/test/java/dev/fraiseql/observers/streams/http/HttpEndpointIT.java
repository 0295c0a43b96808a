package dev.fraiseql.observers.streams.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fraiseql.observers.core.metrics.ObserverMetric;
import dev.fraiseql.observers.testing.Harnesses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP endpoint over real HTTP on loopback. */
class HttpEndpointIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Telemetry telemetry;
    private HealthRegistry health;
    private HttpEndpoint endpoint;

    /** A part whose health the test sets. */
    private static final class SettableHealth implements HealthContributor {
        private final String name;
        private volatile Health health;

        SettableHealth(String name, Health health) {
            this.name = name;
            this.health = health;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Health health() {
            return health;
        }
    }

    @BeforeEach
    void startEndpoint() throws IOException {
        telemetry = new Telemetry();
        health = new HealthRegistry();
        endpoint = new HttpEndpoint("127.0.0.1", 0, 2, telemetry, health);
        endpoint.start();
    }

    @AfterEach
    void stopEndpoint() {
        endpoint.close(Duration.ZERO);
        telemetry.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + path))
                        .timeout(Duration.ofSeconds(10))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path);
    }

    @Test
    void metricsServesProductJvmAndKafkaClientMetricsAsPrometheusText() throws Exception {
        telemetry.metrics().increment(ObserverMetric.EVENTS_PROCESSED, 3);
        Properties properties = new Properties();
        properties.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Harnesses.kafka().bootstrapServers());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "metrics-probe");
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, Harnesses.kafka().uniqueName("probe"));
        try (KafkaConsumer<String, String> consumer =
                        new KafkaConsumer<>(
                                properties, new StringDeserializer(), new StringDeserializer());
                AutoCloseable binding = telemetry.bind(consumer)) {

            HttpResponse<String> response = get("/metrics");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type"))
                    .contains("text/plain; version=0.0.4; charset=utf-8");
            assertThat(response.body())
                    .contains("\nfraiseql_observer_events_processed_total 3.0\n")
                    .contains("jvm_memory_used_bytes{")
                    .contains("process_uptime_seconds ")
                    .containsPattern("kafka_consumer_[a-z_]+\\{[^}]*client_id=\"metrics-probe\"");
        }
    }

    @Test
    void readyNamesThePartThatIsNotReadyAndWhyWhileLiveStaysUp() throws Exception {
        health.register(new SettableHealth("worker", Health.ready("RUNNING")));
        SettableHealth topology =
                new SettableHealth(
                        "topology",
                        Health.notReady(
                                "REBALANCING", "Kafka Streams is REBALANCING, not RUNNING"));
        health.register(topology);

        HttpResponse<String> ready = get("/health/ready");
        HttpResponse<String> live = get("/health/live");

        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(ready.body());
        assertThat(body.get("status").asText()).isEqualTo("not_ready");
        assertThat(body.at("/parts/topology/status").asText()).isEqualTo("NOT_READY");
        assertThat(body.at("/parts/topology/state").asText()).isEqualTo("REBALANCING");
        assertThat(body.at("/parts/topology/reason").asText())
                .isEqualTo("Kafka Streams is REBALANCING, not RUNNING");
        assertThat(body.at("/parts/worker/status").asText()).isEqualTo("READY");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(live.body()).get("status").asText()).isEqualTo("live");
    }

    @Test
    void readyTurnsOkOnceEveryPartIsReady() throws Exception {
        SettableHealth topology =
                new SettableHealth("topology", Health.notReady("STARTING", "starting"));
        health.register(topology);
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);

        topology.health = Health.ready("RUNNING");
        HttpResponse<String> ready = get("/health/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).get("status").asText()).isEqualTo("ready");
    }

    @Test
    void noRegisteredPartIsNotReady() throws Exception {
        HttpResponse<String> ready = get("/health/ready");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(ready.body()).get("reason").asText())
                .isEqualTo("no part has registered yet");
    }

    @Test
    void failedPartMakesTheProcessNotLive() throws Exception {
        health.register(
                new SettableHealth(
                        "connector:inventory",
                        Health.failed("FAILED", "authentication failed for user 'cdc'")));

        HttpResponse<String> live = get("/health/live");

        assertThat(live.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(live.body());
        assertThat(body.get("status").asText()).isEqualTo("failed");
        assertThat(body.at("/failed/connector:inventory/reason").asText())
                .isEqualTo("authentication failed for user 'cdc'");
    }

    @Test
    void mountedHandlerServesItsPathAndBelow() throws Exception {
        endpoint.mount(
                "/entities",
                request ->
                        Response.json(
                                200,
                                Map.of(
                                        "path",
                                        request.path(),
                                        "fields",
                                        request.param("fields").orElse(""))));

        HttpResponse<String> response = get("/entities/public.rental/42?fields=a%2Cb");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("path").asText()).isEqualTo("/entities/public.rental/42");
        assertThat(body.get("fields").asText()).isEqualTo("a,b");
    }

    @Test
    void handlerErrorIsJsonWithItsStatus() throws Exception {
        endpoint.mount(
                "/entities",
                request -> {
                    throw new HttpError(404, "no entity public.rental/42");
                });

        HttpResponse<String> response = get("/entities/public.rental/42");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.body())
                .isEqualTo("{\"status\":404,\"error\":\"no entity public.rental/42\"}");
    }

    @Test
    void handlerCrashIsAGeneric500WithoutAStackTrace() throws Exception {
        endpoint.mount(
                "/observers",
                request -> {
                    throw new IllegalStateException("secret internal detail");
                });

        HttpResponse<String> response = get("/observers");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body())
                .isEqualTo(
                        "{\"status\":500,\"error\":\"internal error; the server log has the"
                                + " details\"}")
                .doesNotContain("IllegalStateException", "secret internal detail", "at dev.");
    }

    @Test
    void unknownPathAndWrongMethodAreJsonErrors() throws Exception {
        HttpResponse<String> unknown = get("/nothing/here");
        HttpResponse<String> post = send("POST", "/metrics");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body())
                .isEqualTo("{\"status\":404,\"error\":\"nothing is served at /nothing/here\"}");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
    }

    @Test
    void rawJdkHandlerWritesTheExchangeItselfAndItsCrashIsAJson500() throws Exception {
        endpoint.mountRaw(
                "/observers",
                exchange -> {
                    byte[] body = "[]".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                });
        endpoint.mountRaw(
                "/broken",
                exchange -> {
                    throw new java.io.IOException("disk on fire");
                });

        HttpResponse<String> raw = get("/observers");
        HttpResponse<String> broken = get("/broken");

        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).isEqualTo("[]");
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(broken.body()).doesNotContain("disk on fire");
    }

    @Test
    void unmountedHandlerIsNoLongerServed() throws Exception {
        AutoCloseable mount = endpoint.mount("/observers", request -> Response.json(200, Map.of()));
        assertThat(get("/observers").statusCode()).isEqualTo(200);

        mount.close();

        assertThat(get("/observers").statusCode()).isEqualTo(404);
    }
}
