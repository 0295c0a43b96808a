package dev.fraiseql.observers.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.app.ApplicationConfigLoader;
import dev.fraiseql.observers.core.config.app.ConfigFolder;
import dev.fraiseql.observers.streams.http.Health;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The application on the real broker with its real HTTP endpoint on loopback. */
class ObserversApplicationIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaHarness kafka = Harnesses.kafka();
    private final HttpClient client = HttpClient.newHttpClient();

    /** A part that is running but waits for something, like Streams during a rebalance. */
    private static final class WaitingPart implements Part {
        private volatile Health health = Health.notReady("REBALANCING", "waiting for partitions");

        @Override
        public String name() {
            return "topology";
        }

        @Override
        public void start() {}

        @Override
        public Health health() {
            return health;
        }

        @Override
        public void close(Duration timeout) {}
    }

    private ConfigFolder folder(Path dir, String prefix) {
        String yaml =
                "prefix: "
                        + prefix
                        + "\nkafka: {bootstrap.servers: '"
                        + kafka.bootstrapServers()
                        + "'}\nhttp: {port: 0}\n"
                        + "parts: {connectors: false, topology: true, worker: false}\n";
        return new ConfigFolder(
                dir,
                new ApplicationConfigLoader(EnvExpander.of(Map.of()))
                        .parse(yaml, "application.yaml", dir));
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void startCreatesTheTopicsServesHealthAndStopsCleanly(@TempDir Path dir) throws Exception {
        String prefix = kafka.uniqueName("app");
        WaitingPart topology = new WaitingPart();
        ObserversApplication app =
                ObserversApplication.create(
                        folder(dir, prefix),
                        PartCatalog.empty().with(PartKind.TOPOLOGY, context -> topology),
                        TopicPreparation.apply(List.of(), Duration.ofSeconds(30)));

        app.start();
        String url = app.endpointUrl().orElseThrow();
        HttpResponse<String> notReady = get(url + "/health/ready");
        topology.health = Health.ready("RUNNING");
        HttpResponse<String> ready = get(url + "/health/ready");
        HttpResponse<String> metrics = get(url + "/metrics");
        app.close();

        assertThat(app.topicReport().orElseThrow().created()).hasSize(12);
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(names).contains(prefix + ".events", prefix + ".jobs.retry.1s");
        }
        assertThat(url).startsWith("http://127.0.0.1:");
        assertThat(notReady.statusCode()).isEqualTo(503);
        JsonNode notReadyBody = JSON.readTree(notReady.body());
        assertThat(notReadyBody.at("/parts/application/state").asText()).isEqualTo("RUNNING");
        assertThat(notReadyBody.at("/parts/http/state").asText()).isEqualTo("LISTENING");
        assertThat(notReadyBody.at("/parts/topology/reason").asText())
                .isEqualTo("waiting for partitions");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_threads_live_threads ");
        assertThat(app.state()).isEqualTo(ApplicationState.STOPPED);
        assertThat(app.partState("http")).contains(PartState.STOPPED);
        assertThat(app.endpointUrl()).isEmpty();
    }
}
