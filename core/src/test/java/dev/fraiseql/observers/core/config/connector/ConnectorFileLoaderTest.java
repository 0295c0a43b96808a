package dev.fraiseql.observers.core.config.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fraiseql.observers.core.config.ConfigException;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorFileLoaderTest {
    private static final String FILE = "connectors/pagila.yaml";

    private final ConnectorFileLoader loader =
            new ConnectorFileLoader(EnvExpander.of(Map.of("PAGILA_PASSWORD", "s3cret-pw")));

    private static String valid(String extra) {
        return """
        name: pagila
        type: postgres
        database:
          host: 127.0.0.1
          port: 5432
          name: pagila
          user: cdc
          password: ${env:PAGILA_PASSWORD}
        tables: [public.actor, public.payment]
        """
                + extra;
    }

    private List<Problem> problemsOf(String text) {
        ConfigException error =
                catchThrowableOfType(ConfigException.class, () -> loader.parse(FILE, text));
        assertThat(error).as("expected the file to be rejected").isNotNull();
        assertThat(error.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo(FILE));
        return error.problems();
    }

    private Problem onlyProblemOf(String text) {
        List<Problem> problems = problemsOf(text);
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    @Test
    void validPostgresFileGetsTheProductDefaults() {
        ConnectorConfig config = loader.parse(FILE, valid(""));

        Map<String, String> properties = config.engineProperties();
        assertThat(config.name()).isEqualTo("pagila");
        assertThat(config.topicPrefix()).isEqualTo("pagila");
        assertThat(config.snapshotMode()).isEqualTo("initial");
        assertThat(config.database().password().reveal()).isEqualTo("s3cret-pw");
        assertThat(properties)
                .containsEntry(
                        "connector.class", "io.debezium.connector.postgresql.PostgresConnector")
                .containsEntry("plugin.name", "pgoutput")
                .containsEntry("slot.name", "observers_pagila")
                .containsEntry("publication.name", "observers_pagila")
                .containsEntry("publication.autocreate.mode", "filtered")
                .containsEntry("publish.via.partition.root", "true")
                .containsEntry("heartbeat.interval.ms", "10000")
                .containsEntry("table.include.list", "public\\.actor,public\\.payment")
                .containsEntry("database.dbname", "pagila")
                .containsEntry("database.password", "s3cret-pw")
                .containsEntry("topic.prefix", "pagila");
    }

    @Test
    void debeziumMapOverridesDefaults() {
        ConnectorConfig config =
                loader.parse(
                        FILE,
                        valid(
                                "debezium:\n"
                                        + "  heartbeat.interval.ms: 2500\n"
                                        + "  slot.name: custom_slot\n"));

        assertThat(config.engineProperties())
                .containsEntry("heartbeat.interval.ms", "2500")
                .containsEntry("slot.name", "custom_slot");
    }

    @Test
    void dashesInTheNameBecomeUnderscoresInSlotNames() {
        ConnectorConfig config =
                loader.parse(FILE, valid("").replace("name: pagila\n", "name: orders-db\n"));

        assertThat(config.slotName()).isEqualTo("observers_orders_db");
        assertThat(config.topicPrefix()).isEqualTo("orders-db");
    }

    @Test
    void mysqlFileGetsPort3306AServerIdAndADatabaseFilter() {
        ConnectorConfig config =
                loader.parse(
                        FILE,
                        """
                        name: shop
                        type: mariadb
                        database: {host: 127.0.0.1, name: shop, user: cdc, password: pw}
                        tables: [shop.orders]
                        """);

        Map<String, String> properties = config.engineProperties();
        assertThat(config.database().port()).isEqualTo(3306);
        assertThat(properties)
                .containsEntry("connector.class", "io.debezium.connector.mariadb.MariaDbConnector")
                .containsEntry("database.include.list", "\\Qshop\\E")
                .containsEntry("table.include.list", "shop\\.orders")
                .containsKey("database.server.id")
                .doesNotContainKey("slot.name");
        assertThat(config.type().needsSchemaHistory()).isTrue();
    }

    @Test
    void fullConnectorClassIsAcceptedAsType() {
        ConnectorConfig config =
                loader.parse(
                        FILE,
                        valid("")
                                .replace(
                                        "type: postgres",
                                        "type:"
                                            + " io.debezium.connector.sqlserver.SqlServerConnector"));

        assertThat(config.type().kind()).isEqualTo(ConnectorType.Kind.OTHER);
        assertThat(config.engineProperties())
                .containsEntry(
                        "connector.class", "io.debezium.connector.sqlserver.SqlServerConnector");
    }

    @Test
    void printingTheConfigNeverShowsSecrets() {
        ConnectorConfig config =
                loader.parse(FILE, valid("debezium:\n  database.sslpassword: ssl-s3cret\n"));

        assertThat(config.toString())
                .doesNotContain("s3cret-pw")
                .doesNotContain("ssl-s3cret")
                .contains("[hidden]");
        assertThat(config.maskedEngineProperties())
                .containsEntry("database.password", "[hidden]")
                .containsEntry("database.sslpassword", "[hidden]")
                .containsEntry("database.user", "cdc");
        assertThat(config.database().toString()).doesNotContain("s3cret-pw");
    }

    @Test
    void loadNamesTheFileByFolderAndName(@TempDir Path configDir) throws IOException {
        Path folder = Files.createDirectories(configDir.resolve("connectors"));
        Path file = Files.writeString(folder.resolve("broken.yaml"), "name: broken\n");

        ConfigException error =
                catchThrowableOfType(ConfigException.class, () -> loader.load(file));

        assertThat(error.problems())
                .extracting(Problem::file)
                .containsOnly("connectors/broken.yaml");
    }

    @Test
    void invalidYamlIsReportedWithItsLine() {
        Problem problem = onlyProblemOf("name: pagila\ntype: [postgres\ndatabase: {}\n");

        assertThat(problem.message()).startsWith("not valid YAML");
        assertThat(problem.line()).isGreaterThan(1);
        assertThat(problem.fix()).isEqualTo("fix the YAML syntax at this line");
    }

    @Test
    void duplicateKeyIsReportedAsInvalidYaml() {
        Problem problem = onlyProblemOf(valid("name: again\n"));

        assertThat(problem.message()).contains("not valid YAML").contains("name");
    }

    @Test
    void fileThatIsNotAMappingIsRejected() {
        Problem problem = onlyProblemOf("- just\n- a list\n");

        assertThat(problem.message()).isEqualTo("the file must be a mapping of connector settings");
    }

    @Test
    void unknownTopLevelKeyGetsADidYouMean() {
        Problem problem = onlyProblemOf(valid("snapshot_mod: initial\n"));

        assertThat(problem.path()).isEqualTo("snapshot_mod");
        assertThat(problem.line()).isEqualTo(10);
        assertThat(problem.message()).isEqualTo("unknown key 'snapshot_mod'");
        assertThat(problem.fix()).isEqualTo("did you mean 'snapshot_mode'?");
    }

    @Test
    void unknownDatabaseKeyGetsADidYouMeanAndTheMissingKeyIsNamed() {
        List<Problem> problems = problemsOf(valid("").replace("  host:", "  hots:"));

        assertThat(problems)
                .extracting(Problem::describe)
                .containsExactly(
                        FILE + ":4: database.hots: unknown key 'hots'; did you mean 'host'?",
                        FILE + ":3: database.host: is required; add 'host: <value>'");
    }

    @Test
    void missingRequiredKeysAreAllReportedAtOnce() {
        List<Problem> problems = problemsOf("database:\n  port: 5432\n");

        assertThat(problems)
                .extracting(Problem::path)
                .containsExactly("name", "type", "database.host", "database.user");
        assertThat(problems).allSatisfy(p -> assertThat(p.message()).isEqualTo("is required"));
        assertThat(problems.get(0).fix()).isEqualTo("add 'name: <value>'");
    }

    @Test
    void postgresNeedsADatabaseName() {
        Problem problem = onlyProblemOf(valid("").replace("  name: pagila\n", ""));

        assertThat(problem.path()).isEqualTo("database.name");
        assertThat(problem.message()).isEqualTo("is required");
    }

    @Test
    void missingDatabaseSectionIsReported() {
        Problem problem = onlyProblemOf("name: pagila\ntype: postgres\n");

        assertThat(problem.path()).isEqualTo("database");
        assertThat(problem.fix()).contains("host, port, name, user and password");
    }

    @Test
    void databaseThatIsNotAMappingIsReported() {
        Problem problem = onlyProblemOf("name: pagila\ntype: postgres\ndatabase: localhost\n");

        assertThat(problem.path()).isEqualTo("database");
        assertThat(problem.value()).isEqualTo("localhost");
        assertThat(problem.message()).isEqualTo("must be a mapping");
    }

    @Test
    void badConnectorNameIsRejectedWithItsValue() {
        Problem problem = onlyProblemOf(valid("").replace("name: pagila\n", "name: Pagila DB\n"));

        assertThat(problem.path()).isEqualTo("name");
        assertThat(problem.line()).isEqualTo(1);
        assertThat(problem.value()).isEqualTo("Pagila DB");
        assertThat(problem.message()).contains("lower-case letters, digits");
    }

    @Test
    void unknownTypeGetsADidYouMean() {
        Problem problem = onlyProblemOf(valid("").replace("type: postgres", "type: postgress"));

        assertThat(problem.path()).isEqualTo("type");
        assertThat(problem.line()).isEqualTo(2);
        assertThat(problem.value()).isEqualTo("postgress");
        assertThat(problem.message()).isEqualTo("unknown connector type");
        assertThat(problem.fix())
                .isEqualTo(
                        "did you mean 'postgres'? use one of: postgres, mysql, mariadb, or a"
                                + " Debezium connector class in full (such as"
                                + " io.debezium.connector.postgresql.PostgresConnector)");
    }

    @Test
    void unknownTypeFarFromEveryNameListsTheSupportedTypes() {
        Problem problem = onlyProblemOf(valid("").replace("type: postgres", "type: oracle"));

        assertThat(problem.describe())
                .isEqualTo(
                        FILE
                                + ":2: type: unknown connector type (value: 'oracle'); use one of:"
                                + " postgres, mysql, mariadb, or a Debezium connector class in full"
                                + " (such as io.debezium.connector.postgresql.PostgresConnector)");
    }

    @Test
    void portOutOfRangeIsRejected() {
        Problem problem = onlyProblemOf(valid("").replace("port: 5432", "port: 70000"));

        assertThat(problem.path()).isEqualTo("database.port");
        assertThat(problem.line()).isEqualTo(5);
        assertThat(problem.value()).isEqualTo("70000");
        assertThat(problem.message()).isEqualTo("must be a whole number from 1 to 65535");
    }

    @Test
    void unsetEnvironmentVariableIsReportedWithoutTheValue() {
        Problem problem =
                onlyProblemOf(valid("").replace("${env:PAGILA_PASSWORD}", "${env:MISSING_PW}"));

        assertThat(problem.path()).isEqualTo("database.password");
        assertThat(problem.line()).isEqualTo(8);
        assertThat(problem.value()).isNull();
        assertThat(problem.message())
                .isEqualTo("refers to environment variable 'MISSING_PW', which is not set");
        assertThat(problem.fix()).isEqualTo("set MISSING_PW or write ${env:MISSING_PW:-<default>}");
    }

    @Test
    void passwordGivenAsAListIsReportedMasked() {
        Problem problem =
                onlyProblemOf(
                        valid("").replace("password: ${env:PAGILA_PASSWORD}", "password: [a, b]"));

        assertThat(problem.path()).isEqualTo("database.password");
        assertThat(problem.message()).isEqualTo("must be a single value, not a list");
    }

    @Test
    void tableWithoutSchemaIsRejected() {
        Problem problem = onlyProblemOf(valid("").replace("public.payment", "payment"));

        assertThat(problem.path()).isEqualTo("tables[1]");
        assertThat(problem.line()).isEqualTo(9);
        assertThat(problem.value()).isEqualTo("payment");
        assertThat(problem.fix())
                .isEqualTo("write it with its schema, for example 'public.payment'");
    }

    @Test
    void tableListedTwiceIsRejected() {
        Problem problem = onlyProblemOf(valid("").replace("public.payment", "public.actor"));

        assertThat(problem.path()).isEqualTo("tables[1]");
        assertThat(problem.message()).isEqualTo("this table is listed twice");
    }

    @Test
    void tablesThatAreNotAListAreRejected() {
        Problem problem =
                onlyProblemOf(valid("").replace("[public.actor, public.payment]", "public.actor"));

        assertThat(problem.path()).isEqualTo("tables");
        assertThat(problem.message()).isEqualTo("must be a list of tables");
    }

    @Test
    void emptyListEntryIsRejected() {
        Problem problem =
                onlyProblemOf(
                        valid("")
                                .replace(
                                        "[public.actor, public.payment]",
                                        "\n  - public.actor\n  -"));

        assertThat(problem.path()).isEqualTo("tables[1]");
        assertThat(problem.message()).isEqualTo("is empty");
    }

    @Test
    void unknownSnapshotModeGetsADidYouMean() {
        Problem problem = onlyProblemOf(valid("snapshot_mode: inital\n"));

        assertThat(problem.path()).isEqualTo("snapshot_mode");
        assertThat(problem.line()).isEqualTo(10);
        assertThat(problem.message()).isEqualTo("unknown snapshot mode for a postgres connector");
        assertThat(problem.fix()).isEqualTo("did you mean 'initial'?");
    }

    @Test
    void badTopicPrefixIsRejected() {
        Problem problem = onlyProblemOf(valid("topic_prefix: shop/orders\n"));

        assertThat(problem.path()).isEqualTo("topic_prefix");
        assertThat(problem.value()).isEqualTo("shop/orders");
        assertThat(problem.message()).contains("only letters, digits, '.', '_' and '-'");
    }

    @Test
    void debeziumPropertySetElsewhereInTheFileIsRejectedWithTheRightKey() {
        Problem problem = onlyProblemOf(valid("debezium:\n  table.include.list: public.x\n"));

        assertThat(problem.path()).isEqualTo("debezium.table.include.list");
        assertThat(problem.line()).isEqualTo(11);
        assertThat(problem.message()).isEqualTo("is set by the product");
        assertThat(problem.fix()).isEqualTo("set 'tables' instead");
    }

    @Test
    void offsetStorageInTheFileIsRejectedAndItsSecretMasked() {
        List<Problem> problems =
                problemsOf(
                        valid(
                                "debezium:\n"
                                        + "  offset.storage.file.filename: /tmp/offsets\n"
                                        + "  database.password: leaked\n"));

        assertThat(problems)
                .extracting(Problem::path)
                .containsExactly(
                        "debezium.offset.storage.file.filename", "debezium.database.password");
        assertThat(problems.get(0).fix()).contains("stores offsets in a Kafka topic");
        assertThat(problems.get(1).value()).isEqualTo("[hidden]");
        assertThat(problems)
                .extracting(Problem::describe)
                .noneMatch(text -> text.contains("leaked"));
    }

    @Test
    void debeziumSectionThatIsNotAMappingIsRejected() {
        Problem problem = onlyProblemOf(valid("debezium: heartbeat\n"));

        assertThat(problem.path()).isEqualTo("debezium");
        assertThat(problem.message()).isEqualTo("must be a mapping of Debezium properties");
    }

    @Test
    void nestedDebeziumValueIsRejected() {
        Problem problem = onlyProblemOf(valid("debezium:\n  heartbeat:\n    interval: 5\n"));

        assertThat(problem.path()).isEqualTo("debezium.heartbeat");
        assertThat(problem.message()).isEqualTo("must be a single value, not a mapping");
    }

    @Test
    void unreadableFileIsOneProblem(@TempDir Path configDir) {
        Path missing = configDir.resolve("connectors").resolve("gone.yaml");

        ConfigException error =
                catchThrowableOfType(ConfigException.class, () -> loader.load(missing));

        assertThat(error.problems()).hasSize(1);
        assertThat(error.problems().get(0).describe())
                .isEqualTo("connectors/gone.yaml: does not exist; create it, or check the path");
    }

    @Test
    void everyProblemOfOneFileIsReportedTogether() {
        List<Problem> problems =
                problemsOf(
                        """
                        name: Bad Name
                        type: oracle
                        colour: blue
                        database: {host: h, port: x, user: u, name: d}
                        snapshot_mode: sometimes
                        """);

        assertThat(problems)
                .extracting(Problem::path)
                .containsExactly("colour", "name", "type", "database.port");
    }
}
