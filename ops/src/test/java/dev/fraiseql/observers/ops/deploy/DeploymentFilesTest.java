package dev.fraiseql.observers.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fraiseql.observers.core.metrics.ObserverMetric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks the operator files that no container engine runs here: every YAML document parses, the
 * Kubernetes objects have the fields a cluster needs, and every metric that the Grafana dashboard
 * and the Prometheus alerts query is one the app declares (or one of the Kafka client binders').
 */
class DeploymentFilesTest {
    private static final Path OPS = Path.of("").toAbsolutePath();
    private static final Pattern METRIC =
            Pattern.compile("\\b(fraiseql_observer_[a-z_]+|kafka_[a-z_]+)\\b");
    private static final Set<String> SUFFIXES = Set.of("_bucket", "_count", "_sum", "_max");

    private static List<JsonNode> yamlDocuments(Path file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator =
                new ObjectMapper(new YAMLFactory())
                        .readerFor(JsonNode.class)
                        .readValues(file.toFile())) {
            while (iterator.hasNext()) {
                JsonNode document = iterator.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    private static Set<String> declaredPrometheusNames() {
        Set<String> names = new LinkedHashSet<>();
        for (ObserverMetric metric : ObserverMetric.values()) {
            names.add(metric.prometheusName());
        }
        return names;
    }

    private static Set<String> queriedMetrics(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = METRIC.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /**
     * A histogram series ({@code _bucket}, {@code _count}, {@code _sum}) belongs to its timer's
     * base name.
     */
    private static String withoutHistogramSuffix(String name) {
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    @Test
    void everyYamlFileUnderDeployAndPrometheusParses() throws IOException {
        List<Path> files;
        try (Stream<Path> walk =
                Stream.concat(
                        Files.walk(OPS.resolve("deploy")), Files.walk(OPS.resolve("prometheus")))) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }

        assertThat(files).hasSizeGreaterThanOrEqualTo(8);
        for (Path file : files) {
            assertThat(yamlDocuments(file))
                    .as("documents in %s", OPS.relativize(file))
                    .isNotEmpty();
        }
    }

    @Test
    void kubernetesDeploymentsProbeReadinessAndTheConnectorsRunAsOneReplacedReplica()
            throws IOException {
        JsonNode streams = yamlDocuments(OPS.resolve("deploy/kubernetes/streams-app.yaml")).get(0);
        JsonNode connectors =
                yamlDocuments(OPS.resolve("deploy/kubernetes/connectors.yaml")).get(0);

        JsonNode streamsContainer = streams.at("/spec/template/spec/containers/0");
        assertThat(streams.path("kind").asText()).isEqualTo("Deployment");
        assertThat(streamsContainer.at("/readinessProbe/httpGet/path").asText())
                .isEqualTo("/health/ready");
        assertThat(streamsContainer.at("/livenessProbe/httpGet/path").asText())
                .isEqualTo("/health/live");
        assertThat(connectors.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(connectors.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
        assertThat(
                        connectors
                                .at("/spec/template/spec/containers/0/readinessProbe/httpGet/path")
                                .asText())
                .isEqualTo("/health/ready");
    }

    @Test
    void composeRunsKafkaPostgresWithLogicalWalAndTheApp() throws IOException {
        JsonNode compose = yamlDocuments(OPS.resolve("deploy/compose/compose.yaml")).get(0);

        assertThat(compose.path("services").fieldNames())
                .toIterable()
                .containsExactly("kafka", "postgres", "observers");
        assertThat(compose.at("/services/postgres/command").toString())
                .contains("wal_level=logical");
        assertThat(compose.at("/services/observers/volumes/0").asText())
                .isEqualTo("./config:/etc/observers:ro");
    }

    @Test
    void dashboardQueriesNameOnlyMetricsTheAppDeclares() throws IOException {
        JsonNode dashboard =
                new ObjectMapper()
                        .readTree(OPS.resolve("grafana/fraiseql-observers.json").toFile());
        Set<String> queried = new LinkedHashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queried.addAll(queriedMetrics(target.path("expr").asText()));
            }
        }

        assertThat(dashboard.path("panels")).hasSizeGreaterThanOrEqualTo(10);
        Set<String> declared = declaredPrometheusNames();
        for (String name : queried) {
            assertThat(declared)
                    .as("metric %s queried by the dashboard", name)
                    .contains(withoutHistogramSuffix(name));
        }
        assertThat(queried)
                .as("the dashboard shows every declared metric")
                .containsAll(declared.stream().filter(name -> !name.endsWith("_seconds")).toList());
    }

    @Test
    void theOperationsGuideListsEveryMetricTheAppDeclares() throws IOException {
        String guide = Files.readString(OPS.resolveSibling("docs").resolve("operations.md"));

        assertThat(declaredPrometheusNames())
                .allSatisfy(name -> assertThat(guide).contains("`" + name + "`"));
    }

    @Test
    void alertRulesNameOnlyMetricsTheAppDeclaresOrKafkaClientMetrics() throws IOException {
        JsonNode alerts = yamlDocuments(OPS.resolve("prometheus/alerts.yaml")).get(0);
        Set<String> declared = declaredPrometheusNames();
        List<String> alertNames = new ArrayList<>();

        for (JsonNode rule : alerts.at("/groups/0/rules")) {
            alertNames.add(rule.path("alert").asText());
            for (String name : queriedMetrics(rule.path("expr").asText())) {
                if (!name.startsWith("kafka_")) {
                    assertThat(declared)
                            .as("metric %s in alert %s", name, rule.path("alert").asText())
                            .contains(name);
                }
            }
        }

        assertThat(alertNames)
                .contains(
                        "ObserversDeadLetterGrowing",
                        "ObserversBacklogGrowing",
                        "ObserversConsumerLag",
                        "ObserversConnectorNotRunning",
                        "ObserversCircuitOpen");
    }
}
