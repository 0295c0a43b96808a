package dev.fraiseql.observers.core.config.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fraiseql.observers.core.config.ConfigException;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplicationConfigLoaderTest {
    private static final Path BASE = Path.of("/srv/observers");
    private static final String KAFKA = "kafka:\n  bootstrap.servers: broker-1:9092\n";

    private final ApplicationConfigLoader loader =
            new ApplicationConfigLoader(
                    EnvExpander.of(Map.of("BROKERS", "b1:9093,b2:9093", "JAAS", "user=secret")));

    private ApplicationConfig parse(String yaml) {
        return loader.parse(yaml, "application.yaml", BASE);
    }

    private List<Problem> problemsOf(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected configuration problems for:\n" + yaml);
    }

    private Problem onlyProblemOf(String yaml) {
        List<Problem> problems = problemsOf(yaml);
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    @Test
    void minimalFileTakesEveryDeclaredDefault() {
        ApplicationConfig config = parse(KAFKA);

        assertThat(config.prefix()).isEqualTo("observers");
        assertThat(config.kafka()).containsExactly(Map.entry("bootstrap.servers", "broker-1:9092"));
        assertThat(config.schemaRegistry()).isEmpty();
        assertThat(config.parts()).isEqualTo(PartSwitches.ALL);
        assertThat(config.http()).isEqualTo(new HttpSettings("127.0.0.1", 8080, 4));
        assertThat(config.stateDir()).isEqualTo(Path.of("/srv/observers/state"));
        assertThat(config.dedupWindow()).isEqualTo(Duration.ofHours(24));
        assertThat(config.workerConcurrency()).isEqualTo(8);
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.topic(ObserverTopic.EVENTS))
                .isEqualTo(new TopicSettings(3, (short) 1, Retention.of(Duration.ofDays(30))));
        assertThat(config.topic(ObserverTopic.JOBS_OUTCOMES).retention())
                .isEqualTo(Retention.FOREVER);
        assertThat(config.topicNames().jobs()).isEqualTo("observers.jobs");
    }

    @Test
    void everyKeyIsReadFromNestedAndDottedForms() {
        ApplicationConfig config =
                parse(
                        """
                        prefix: shop
                        kafka:
                          bootstrap.servers: ${env:BROKERS}
                          security.protocol: SASL_SSL
                          sasl:
                            mechanism: PLAIN
                            jaas.config: ${env:JAAS}
                        schema_registry.url: http://registry:8081
                        topics:
                          partitions: 6
                          replication: 3
                          events: {partitions: 12, retention: forever}
                          jobs.dlq:
                            retention: 90d
                        parts: {connectors: false, worker: false}
                        http: {host: 0.0.0.0, port: 9000, threads: 8}
                        state.dir: /var/lib/observers
                        dedup.window: 2h
                        worker.concurrency: 32
                        shutdown.timeout: 45s
                        """);

        assertThat(config.prefix()).isEqualTo("shop");
        assertThat(config.kafka())
                .containsOnly(
                        Map.entry("bootstrap.servers", "b1:9093,b2:9093"),
                        Map.entry("security.protocol", "SASL_SSL"),
                        Map.entry("sasl.mechanism", "PLAIN"),
                        Map.entry("sasl.jaas.config", "user=secret"));
        assertThat(config.schemaRegistry()).contains("http://registry:8081");
        assertThat(config.topic(ObserverTopic.EVENTS))
                .isEqualTo(new TopicSettings(12, (short) 3, Retention.FOREVER));
        assertThat(config.topic(ObserverTopic.JOBS_DLQ))
                .isEqualTo(new TopicSettings(6, (short) 3, Retention.of(Duration.ofDays(90))));
        assertThat(config.topic(ObserverTopic.JOBS))
                .isEqualTo(new TopicSettings(6, (short) 3, Retention.of(Duration.ofDays(7))));
        assertThat(config.parts()).isEqualTo(new PartSwitches(false, true, false, true));
        assertThat(config.http()).isEqualTo(new HttpSettings("0.0.0.0", 9000, 8));
        assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/observers"));
        assertThat(config.dedupWindow()).isEqualTo(Duration.ofHours(2));
        assertThat(config.workerConcurrency()).isEqualTo(32);
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.topicNames().events()).isEqualTo("shop.events");
    }

    @Test
    void secretKafkaSettingsAreMaskedWhenTheConfigIsPrinted() {
        ApplicationConfig config =
                parse(
                        KAFKA
                                + "  sasl.jaas.config: ${env:JAAS}\n"
                                + "  ssl.truststore.password: changeit\n");

        assertThat(config.toString())
                .contains("sasl.jaas.config=[hidden]", "ssl.truststore.password=[hidden]")
                .contains("bootstrap.servers=broker-1:9092")
                .doesNotContain("user=secret", "changeit");
    }

    @Test
    void registryCredentialsAreMaskedWhenTheConfigIsPrinted() {
        ApplicationConfig config =
                parse(
                        KAFKA
                                + "  basic.auth.user.info: bob:BasicPw123\n"
                                + "schema_registry:\n"
                                + "  url: https://dave:RegistryPw123@registry.example.test/api\n");

        assertThat(config.toString())
                .contains("basic.auth.user.info=[hidden]")
                .contains("schema_registry.url=https://[hidden]@registry.example.test/api")
                .doesNotContain("BasicPw123", "RegistryPw123", "dave");
    }

    @Test
    void kafkaListValueIsJoinedWithCommas() {
        ApplicationConfig config = parse("kafka:\n  bootstrap.servers: [a:9092, b:9092]\n");

        assertThat(config.kafka()).containsEntry("bootstrap.servers", "a:9092,b:9092");
    }

    @Test
    void missingBootstrapServersIsReported() {
        Problem problem = onlyProblemOf("kafka:\n  client.id: x\n");

        assertThat(problem.describe())
                .isEqualTo(
                        "application.yaml:2: kafka.bootstrap.servers: missing required key; add"
                                + " 'kafka: {bootstrap.servers: host:9092}'");
    }

    @Test
    void kafkaAsAScalarIsReported() {
        List<Problem> problems = problemsOf("kafka: localhost:9092\n");

        assertThat(problems.get(0).describe())
                .isEqualTo(
                        "application.yaml:1: kafka: expected a map of Kafka client settings"
                                + " (value: 'localhost:9092'); write 'kafka:' then the settings"
                                + " indented below it");
    }

    @Test
    void emptyKafkaSettingIsReported() {
        List<Problem> problems = problemsOf(KAFKA + "  client.id: {}\n");

        assertThat(problems)
                .extracting(Problem::describe)
                .containsExactly(
                        "application.yaml:3: kafka.client.id: expected a value, found an empty"
                                + " map; give the setting a value or remove it");
    }

    @Test
    void unknownKeyNamesTheClosestKnownKey() {
        Problem problem = onlyProblemOf(KAFKA + "htp:\n  port: 9000\n");

        assertThat(problem.describe())
                .isEqualTo("application.yaml:4: htp.port: unknown key; did you mean 'http.port'?");
    }

    @Test
    void unknownKeyWithNothingCloseRefersToTheReference() {
        Problem problem = onlyProblemOf(KAFKA + "colour: blue\n");

        assertThat(problem.describe())
                .isEqualTo(
                        "application.yaml:3: colour: unknown key; see docs/configuration.md for"
                                + " the known keys");
    }

    @Test
    void wrongTypesAreReportedWithTheValueAndTheExpectedType() {
        List<Problem> problems =
                problemsOf(
                        KAFKA
                                + "http:\n  port: eighty\n"
                                + "parts:\n  worker: maybe\n"
                                + "dedup:\n  window: a day\n"
                                + "prefix: [a, b]\n");

        assertThat(problems)
                .extracting(Problem::describe)
                .containsExactly(
                        "application.yaml:4: http.port: expected a whole number (value:"
                                + " 'eighty')",
                        "application.yaml:6: parts.worker: expected true or false (value:"
                                + " 'maybe'); write true or false",
                        "application.yaml:8: dedup.window: expected a duration such as 500ms,"
                                + " 30s, 5m, 24h, 7d or PT30S (value: 'a day'); write a number and"
                                + " a unit, for example 30s",
                        "application.yaml:9: prefix: expected a text value, found a list (value:"
                                + " 'a list')");
    }

    @Test
    void brokenRulesAreReportedWithTheRule() {
        List<Problem> problems =
                problemsOf(
                        KAFKA
                                + "http: {port: 70000, threads: 0, host: 'my host'}\n"
                                + "prefix: '-bad'\n"
                                + "schema_registry.url: registry:8081\n"
                                + "shutdown.timeout: 0s\n"
                                + "worker.concurrency: 0\n"
                                + "topics: {partitions: 0, replication: 40}\n"
                                + "state.dir: '  '\n");

        assertThat(problems)
                .extracting(Problem::describe)
                .containsExactly(
                        "application.yaml:3: http.port: must be between 0 and 65535 (value:"
                                + " '70000')",
                        "application.yaml:3: http.threads: must be between 1 and 64 (value: '0')",
                        "application.yaml:3: http.host: must be a host name or an IP address"
                                + " (value: 'my host')",
                        "application.yaml:4: prefix: must be 1 to 100 letters, digits, '.', '_'"
                                + " or '-', starting with a letter or digit (value: '-bad')",
                        "application.yaml:5: schema_registry.url: must be an http:// or https://"
                                + " URL with no spaces (value: 'registry:8081')",
                        "application.yaml:6: shutdown.timeout: must be longer than 0 (value:"
                                + " '0s')",
                        "application.yaml:7: worker.concurrency: must be between 1 and 1024"
                                + " (value: '0')",
                        "application.yaml:8: topics.partitions: must be between 1 and 10000"
                                + " (value: '0')",
                        "application.yaml:8: topics.replication: must be between 1 and 32"
                                + " (value: '40')",
                        "application.yaml:9: state.dir: must not be blank (value: '  ')");
    }

    @Test
    void unsetEnvironmentVariableIsReportedWithHowToDefaultIt() {
        Problem problem = onlyProblemOf("kafka:\n  bootstrap.servers: ${env:KAFKA_BROKERS}\n");

        assertThat(problem.describe())
                .isEqualTo(
                        "application.yaml:2: kafka.bootstrap.servers: environment variable"
                                + " KAFKA_BROKERS is not set (value: '${env:KAFKA_BROKERS}'); set"
                                + " KAFKA_BROKERS or give a default: ${env:KAFKA_BROKERS:-value}");
    }

    @Test
    void environmentDefaultIsUsedAndConvertedToTheKeyType() {
        ApplicationConfig config = parse(KAFKA + "http.port: ${env:HTTP_PORT:-9191}\n");

        assertThat(config.http().port()).isEqualTo(9191);
    }

    @Test
    void everyPartSwitchedOffIsReported() {
        Problem problem =
                onlyProblemOf(
                        KAFKA
                                + "parts: {connectors: false, topology: false, worker: false,"
                                + " http: false}\n");

        assertThat(problem.describe())
                .isEqualTo(
                        "application.yaml: parts: every part is switched off, so nothing would"
                                + " run; switch on at least one of parts.connectors,"
                                + " parts.topology, parts.worker, parts.http");
    }

    @Test
    void unknownTopicNamesTheClosestTopic() {
        Problem problem = onlyProblemOf(KAFKA + "topics:\n  event:\n    partitions: 4\n");

        assertThat(problem.describe())
                .isEqualTo(
                        "application.yaml:5: topics.event.partitions: unknown topic 'event'; did"
                                + " you mean 'events'?");
    }

    @Test
    void unknownTopicFarFromAnyListsTheTopics() {
        Problem problem = onlyProblemOf(KAFKA + "topics.audit_log_archive.partitions: 4\n");

        assertThat(problem.fix())
                .isEqualTo(
                        "the topics are events, events.dlq, jobs, jobs.retry, jobs.dlq,"
                                + " jobs.outcomes");
    }

    @Test
    void unknownPerTopicKeyNamesTheClosestKey() {
        Problem problem = onlyProblemOf(KAFKA + "topics:\n  events:\n    retension: 3d\n");

        assertThat(problem.describe())
                .isEqualTo(
                        "application.yaml:5: topics.events.retension: unknown key; did you mean"
                                + " 'topics.events.retention'?");
    }

    @Test
    void badRetentionIsReported() {
        Problem problem = onlyProblemOf(KAFKA + "topics.jobs.retention: always\n");

        assertThat(problem.describe())
                .isEqualTo(
                        "application.yaml:3: topics.jobs.retention: expected a duration such as"
                                + " 7d or 30d, or forever (value: 'always'); write a number and a"
                                + " unit, for example 7d, or forever");
    }

    @Test
    void keySetTwiceIsReported() {
        Problem problem = onlyProblemOf(KAFKA + "http.port: 1\nhttp:\n  port: 2\n");

        assertThat(problem.describe())
                .isEqualTo(
                        "application.yaml:5: http.port: set twice (first on line 3); keep one of"
                                + " the two");
    }

    @Test
    void brokenYamlIsReportedWithItsLine() {
        Problem problem = onlyProblemOf(KAFKA + "http:\n  port: [1\n");

        assertThat(problem.file()).isEqualTo("application.yaml");
        assertThat(problem.line()).isGreaterThanOrEqualTo(4);
        assertThat(problem.message()).startsWith("not valid YAML: ");
        assertThat(problem.fix()).isEqualTo("fix the syntax at that line");
    }

    @Test
    void fileThatIsNotAMapIsReported() {
        Problem problem = problemsOf("- a\n- b\n").get(0);

        assertThat(problem.describe())
                .isEqualTo(
                        "application.yaml:1: the file must be a map of settings; start with a key"
                                + " such as 'prefix: observers'");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigException error =
                org.junit.jupiter.api.Assertions.assertThrows(
                        ConfigException.class,
                        () -> parse("colour: blue\nhttp.port: -1\ndedup.window: soon\n"));

        assertThat(error.problems()).hasSize(4);
        assertThat(error.getMessage()).startsWith("4 configuration problems:");
    }

    @Test
    void folderWithoutApplicationFileIsReported(@TempDir Path folder) {
        assertThatThrownBy(() -> loader.loadFolder(folder))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("application.yaml: is missing from " + folder);
    }

    @Test
    void folderIsLoadedWithPathsResolvedAgainstIt(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("application.yaml"), KAFKA + "state.dir: data\n");

        ConfigFolder loaded = loader.loadFolder(folder);

        assertThat(loaded.application().stateDir()).isEqualTo(folder.resolve("data"));
        assertThat(loaded.connectorsDir()).isEqualTo(folder.resolve("connectors"));
        assertThat(loaded.observersDir()).isEqualTo(folder.resolve("observers"));
    }
}
