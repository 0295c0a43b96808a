package dev.fraiseql.observers.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fraiseql.observers.core.action.ActionOptionsValidators;
import dev.fraiseql.observers.core.action.WebhookExecutor;
import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import dev.fraiseql.observers.core.config.app.ApplicationConfigLoader;
import dev.fraiseql.observers.core.config.connector.ConnectorConfig;
import dev.fraiseql.observers.core.config.connector.ConnectorFileLoader;
import dev.fraiseql.observers.core.observer.ObserverLoader;
import dev.fraiseql.observers.core.observer.condition.ConditionCompiler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes a user makes in any of the three kinds of config file that the per-file tests do not
 * cover: a reference that looks like {@code ${env:NAME}} but is not one, an empty file, a file that
 * is not UTF-8 text or is a folder, and an observer name used twice in one file. Each problem names
 * the file, the line or key, and the fix.
 *
 * <p>Covered elsewhere, per file kind: unknown keys with a "did you mean", wrong types, missing
 * required keys, unset variables, bad durations and URLs, YAML syntax errors and duplicate keys
 * with their line, files that are not a mapping ({@code ApplicationConfigLoaderTest}, {@code
 * ConnectorFileLoaderTest}, {@code ObserverLoaderTest}); bad conditions ({@code
 * ConditionLanguageTest}); bad action options ({@code WebhookExecutorIT} and the other executor
 * tests).
 */
class ConfigMistakesTest {
    private static final EnvExpander ENV =
            EnvExpander.of(Map.of("DB_PASSWORD", "pw-1", "HOOK_SECRET", "whsec_YWJj"));

    private final ApplicationConfigLoader application = new ApplicationConfigLoader(ENV);
    private final ConnectorFileLoader connectors = new ConnectorFileLoader(ENV);
    private final ObserverLoader observers =
            new ObserverLoader(new ConditionCompiler(), ActionOptionsValidators.standard(), ENV);

    private static final String CONNECTOR =
            "name: shop\n"
                    + "type: postgres\n"
                    + "database:\n"
                    + "  host: 127.0.0.1\n"
                    + "  name: shop\n"
                    + "  user: cdc\n"
                    + "  password: %s\n"
                    + "tables: [public.orders]\n";

    private static final String OBSERVER =
            "observers:\n"
                    + "  - name: order-paid\n"
                    + "    entity: public.orders\n"
                    + "    on: [update]\n"
                    + "    actions:\n"
                    + "      - webhook:\n"
                    + "          url: https://hooks.example.test/orders\n"
                    + "          secret: %s\n";

    private List<String> applicationProblems(String yaml) {
        return catchThrowableOfType(
                        ConfigException.class,
                        () -> application.parse(yaml, "application.yaml", Path.of(".")))
                .problems()
                .stream()
                .map(Problem::describe)
                .toList();
    }

    private List<String> connectorProblems(String yaml) {
        return catchThrowableOfType(
                        ConfigException.class, () -> connectors.parse("connectors/shop.yaml", yaml))
                .problems()
                .stream()
                .map(Problem::describe)
                .toList();
    }

    private List<String> observerProblems(String yaml) {
        return observers.parse(Map.of("observers/orders.yaml", yaml)).problems().stream()
                .map(Problem::describe)
                .toList();
    }

    @Test
    void a_shell_style_reference_in_the_application_file_is_reported_with_the_env_form() {
        List<String> problems =
                applicationProblems(
                        "kafka:\n  bootstrap.servers: ${KAFKA_SERVERS}\n"
                                + "  ssl.truststore.location: ${ENV:TRUSTSTORE}\n");

        assertThat(problems)
                .containsExactly(
                        "application.yaml:2: kafka.bootstrap.servers: '${KAFKA_SERVERS}' is not an"
                                + " environment reference (${env:NAME}), so it would be used as it"
                                + " is; write ${env:KAFKA_SERVERS} (letters, digits and"
                                + " underscores)",
                        "application.yaml:3: kafka.ssl.truststore.location: '${ENV:TRUSTSTORE}' is"
                                + " not an environment reference (${env:NAME}), so it would be used"
                                + " as it is; write ${env:TRUSTSTORE} (letters, digits and"
                                + " underscores)");
    }

    @Test
    void a_kafka_config_provider_reference_is_left_for_the_kafka_client() {
        ApplicationConfig config =
                application.parse(
                        "kafka:\n"
                                + "  bootstrap.servers: 127.0.0.1:9092\n"
                                + "  ssl.truststore.password:"
                                + " ${file:/etc/kafka/secrets.properties:tp}\n",
                        "application.yaml",
                        Path.of("."));

        assertThat(config.kafkaProperties().getProperty("ssl.truststore.password"))
                .isEqualTo("${file:/etc/kafka/secrets.properties:tp}");
    }

    @Test
    void a_connector_password_reference_in_the_wrong_case_is_reported_not_used_as_the_password() {
        List<String> problems = connectorProblems(CONNECTOR.formatted("${Env:DB_PASSWORD}"));

        assertThat(problems)
                .containsExactly(
                        "connectors/shop.yaml:7: database.password: '${Env:DB_PASSWORD}' is not an"
                            + " environment reference (${env:NAME}), so it would be used as it is;"
                            + " write ${env:DB_PASSWORD} (letters, digits and underscores)");
    }

    @Test
    void a_connector_password_reference_without_its_closing_brace_is_reported() {
        List<String> problems = connectorProblems(CONNECTOR.formatted("'${env:DB_PASSWORD'"));

        assertThat(problems)
                .containsExactly(
                        "connectors/shop.yaml:7: database.password: '${env:DB_PASSWORD' is not an"
                            + " environment reference (${env:NAME}), so it would be used as it is;"
                            + " write ${env:DB_PASSWORD} (letters, digits and underscores)");
    }

    @Test
    void a_well_formed_connector_reference_still_expands() {
        ConnectorConfig config =
                connectors.parse("connectors/shop.yaml", CONNECTOR.formatted("${env:DB_PASSWORD}"));

        assertThat(config.database().password().reveal()).isEqualTo("pw-1");
    }

    @Test
    void an_observer_secret_reference_with_a_dash_in_the_name_is_reported() {
        List<String> problems = observerProblems(OBSERVER.formatted("${env:HOOK-SECRET}"));

        assertThat(problems)
                .containsExactly(
                        "observers/orders.yaml:8: observers[0].actions[0].webhook.secret:"
                                + " '${env:HOOK-SECRET}' is not an environment reference"
                                + " (${env:NAME}), so it would be used as it is; write"
                                + " ${env:HOOK_SECRET} (letters, digits and underscores)");
    }

    @Test
    void a_misspelt_action_option_gets_a_did_you_mean() {
        String misspelt =
                OBSERVER.formatted("${env:HOOK_SECRET}")
                                .replace("          secret:", "          secrett:")
                        + "          timout: 5s\n";

        // The executor's own rules, as the app and 'observers validate' check actions.
        ObserverLoader withExecutorRules =
                new ObserverLoader(
                        new ConditionCompiler(),
                        ActionOptionsValidators.standard()
                                .with("webhook", new WebhookExecutor(Clock.systemUTC())::validate),
                        ENV);

        List<String> problems =
                withExecutorRules
                        .parse(Map.of("observers/orders.yaml", misspelt))
                        .problems()
                        .stream()
                        .map(Problem::describe)
                        .toList();

        assertThat(problems)
                .hasSize(2)
                .allSatisfy(p -> assertThat(p).startsWith("observers/orders.yaml:6:"))
                .anySatisfy(
                        p ->
                                assertThat(p)
                                        .contains(
                                                "webhook.secrett: unknown option (did you mean"
                                                        + " 'secret'?); known options are [url,"
                                                        + " secret,"))
                .anySatisfy(
                        p ->
                                assertThat(p)
                                        .contains(
                                                "webhook.timout: unknown option (did you mean"
                                                        + " 'timeout'?)"));
    }

    @Test
    void an_empty_application_file_asks_for_the_kafka_section() {
        List<String> problems = applicationProblems("");

        assertThat(problems)
                .containsExactly(
                        "application.yaml: the file is empty; write at least 'kafka:"
                                + " {bootstrap.servers: host:9092}' in it");
    }

    @Test
    void an_empty_connector_file_names_what_it_needs() {
        List<String> problems = connectorProblems("\n");

        assertThat(problems)
                .containsExactly(
                        "connectors/shop.yaml: the file is empty; write the connector in it: name,"
                                + " type, database and tables (see the example in the README), or"
                                + " delete the file");
    }

    @Test
    void an_observer_name_used_twice_in_one_file_points_at_the_first_use() {
        String twice =
                OBSERVER.formatted("${env:HOOK_SECRET}")
                        + OBSERVER.formatted("${env:HOOK_SECRET}").replace("observers:\n", "");

        List<String> problems = observerProblems(twice);

        assertThat(problems)
                .containsExactly(
                        "observers/orders.yaml:9: name: observer name already used in"
                                + " observers/orders.yaml:2 (value: 'order-paid'); give each"
                                + " observer its own name: it is part of every job id");
    }

    @Test
    void a_file_that_is_not_utf8_is_reported_as_such_for_every_kind(@TempDir Path root)
            throws Exception {
        byte[] latin1 = "kafka:\n  bootstrap.servers: caf\u00e9:9092\n".getBytes("ISO-8859-1");
        Files.write(root.resolve("application.yaml"), latin1);
        Path connectorFile =
                Files.createDirectories(root.resolve("connectors")).resolve("shop.yaml");
        Files.write(connectorFile, latin1);
        Path observersDir = Files.createDirectories(root.resolve("observers"));
        Files.write(observersDir.resolve("orders.yaml"), latin1);

        ConfigException app =
                catchThrowableOfType(ConfigException.class, () -> application.loadFolder(root));
        ConfigException connector =
                catchThrowableOfType(ConfigException.class, () -> connectors.load(connectorFile));
        List<Problem> observer = observers.read(observersDir).problems();

        String fix =
                "; save it as UTF-8 (YAML files are UTF-8; a binary or UTF-16 file cannot be read)";
        assertThat(app.problems())
                .extracting(Problem::describe)
                .containsExactly("application.yaml: is not UTF-8 text" + fix);
        assertThat(connector.problems())
                .extracting(Problem::describe)
                .containsExactly("connectors/shop.yaml: is not UTF-8 text" + fix);
        assertThat(observer)
                .extracting(Problem::describe)
                .containsExactly("observers/orders.yaml: is not UTF-8 text" + fix);
    }

    @Test
    void an_application_file_that_is_a_folder_is_not_called_missing(@TempDir Path root)
            throws Exception {
        Files.createDirectories(root.resolve("application.yaml"));

        ConfigException error =
                catchThrowableOfType(ConfigException.class, () -> application.loadFolder(root));

        assertThat(error.problems())
                .extracting(Problem::describe)
                .containsExactly(
                        "application.yaml: is a folder, not a file; remove the folder or rename"
                                + " it");
    }
}
