package dev.fraiseql.observers.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.action.ActionOptionsValidators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link ConfigValidator} finds only by looking at the folder as a whole: files and folders
 * the product would not read (warnings), connector names used twice, connector types that are not
 * installed (errors), and observers whose table no connector captures (warnings).
 */
class ConfigValidatorTest {
    private static final String POSTGRES_CLASS =
            "io.debezium.connector.postgresql.PostgresConnector";

    @TempDir Path root;

    private ConfigValidator.Report validate() {
        return validate(className -> true);
    }

    private ConfigValidator.Report validate(Predicate<String> installed) {
        return new ConfigValidator(
                        EnvExpander.of(Map.of()), ActionOptionsValidators.standard(), installed)
                .validate(root);
    }

    private void write(String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private void application() throws IOException {
        write("application.yaml", "kafka:\n  bootstrap.servers: 127.0.0.1:9092\n");
    }

    private static String connector(String name, String type, String tables) {
        return "name: "
                + name
                + "\ntype: "
                + type
                + "\ndatabase:\n  host: 127.0.0.1\n  name: shop\n  user: cdc\n"
                + tables;
    }

    private static String observer(String entity) {
        return "observers:\n"
                + "  - name: rental-returned\n"
                + "    entity: "
                + entity
                + "\n"
                + "    on: [update]\n"
                + "    actions:\n"
                + "      - log: {}\n";
    }

    @Test
    void filesInTheReadFoldersWithoutAYamlNameAreWarningsThatSayWhatIsRead() throws IOException {
        application();
        write("observers/orders.yaml", observer("public.orders"));
        write("observers/orders.json", "{}");
        write("observers/orders.yml.bak", observer("public.orders"));
        write("observers/.gitkeep", "");
        write("observers/archive/old.yaml", observer("public.orders"));
        write("connectors/shop.yaml.disabled", connector("shop", "postgres", ""));

        ConfigValidator.Report report = validate();

        assertThat(report.problems()).isEmpty();
        assertThat(report.valid()).isTrue();
        assertThat(report.observers()).isEqualTo(1);
        assertThat(report.warnings())
                .extracting(Problem::describe)
                .containsExactly(
                        "connectors/shop.yaml.disabled: this file is not read: only *.yaml and"
                                + " *.yml files in connectors/ are read; give it a .yaml name to"
                                + " have it read, or move it out of connectors/",
                        "observers/archive/: this folder is not read: files in sub-folders of"
                                + " observers/ are not read; move its .yaml files up into"
                                + " observers/",
                        "observers/orders.json: this file is not read: only *.yaml and *.yml"
                                + " files in observers/ are read; give it a .yaml name to have it"
                                + " read, or move it out of observers/",
                        "observers/orders.yml.bak: this file is not read: only *.yaml and *.yml"
                                + " files in observers/ are read; give it a .yaml name to have it"
                                + " read, or move it out of observers/");
    }

    @Test
    void misspeltFoldersAndApplicationFileGetADidYouMean() throws IOException {
        // A new user's folder: 'observer/' instead of 'observers/', 'connector/' next to an
        // empty 'connectors/', and a copy of the settings as application.yml.
        application();
        write("application.yml", "kafka:\n  bootstrap.servers: 127.0.0.1:9092\n");
        write("observer/rentals.yaml", observer("public.rental"));
        write("connector/shop.yaml", connector("shop", "postgres", ""));
        Files.createDirectories(root.resolve("connectors"));
        Files.createDirectories(root.resolve("state"));

        ConfigValidator.Report report = validate();

        assertThat(report.valid()).isTrue();
        assertThat(report.observers()).isZero();
        assertThat(report.warnings())
                .extracting(Problem::describe)
                .containsExactly(
                        "application.yml: this file is not read: the application settings are"
                                + " read from application.yaml only; did you mean"
                                + " application.yaml? that file is read instead: move these"
                                + " settings into it, or delete this copy",
                        "connector/: this folder is not read: connector files are read from"
                                + " connectors/ only; did you mean connectors/? rename it (or move"
                                + " its files into connectors/)",
                        "observer/: this folder is not read: observer files are read from"
                                + " observers/ only; did you mean observers/? rename it (or move"
                                + " its files into observers/)");
    }

    @Test
    void anApplicationFileWithTheWrongExtensionAloneIsAnErrorAndAWarningToRenameIt()
            throws IOException {
        write("application.yml", "kafka:\n  bootstrap.servers: 127.0.0.1:9092\n");

        ConfigValidator.Report report = validate();

        assertThat(report.problems())
                .extracting(Problem::describe)
                .singleElement()
                .asString()
                .startsWith("application.yaml: is missing from");
        assertThat(report.warnings())
                .extracting(Problem::describe)
                .containsExactly(
                        "application.yml: this file is not read: the application settings are"
                                + " read from application.yaml only; did you mean"
                                + " application.yaml? rename it to application.yaml");
    }

    @Test
    void twoConnectorFilesWithOneNameAreAnErrorNamingBothFiles() throws IOException {
        application();
        write("connectors/orders.yaml", connector("shop", "postgres", ""));
        write("connectors/shop.yaml", connector("shop", "postgres", ""));

        ConfigValidator.Report report = validate();

        assertThat(report.valid()).isFalse();
        assertThat(report.problems())
                .extracting(Problem::describe)
                .containsExactly(
                        "connectors/shop.yaml:1: name: connector name already used by"
                                + " connectors/orders.yaml (value: 'shop'); give each connector"
                                + " file its own name: the name keys the connector's offsets and"
                                + " its replication slot");
    }

    @Test
    void anObserverOfATableNoConnectorListsIsAWarningWithTheLists() throws IOException {
        application();
        write(
                "connectors/pagila.yaml",
                connector("pagila", "postgres", "tables: [public.rental, public.payment]\n"));
        write("connectors/shop.yaml", connector("shop", "postgres", "tables: [public.orders]\n"));
        write("observers/rentals.yaml", observer("public.rentals"));
        write("observers/orders.yaml", observer("public.orders").replace("rental-", "order-"));

        ConfigValidator.Report report = validate();

        assertThat(report.valid()).isTrue();
        assertThat(report.warnings())
                .extracting(Problem::describe)
                .containsExactly(
                        "observers/rentals.yaml:2: entity: observer 'rental-returned' watches a"
                                + " table that no connector captures (connectors/pagila.yaml:"
                                + " [public.rental, public.payment]; connectors/shop.yaml:"
                                + " [public.orders]) (value: 'public.rentals'); did you mean"
                                + " public.rental? add public.rentals to the tables of a"
                                + " connector, or correct the entity");
    }

    @Test
    void aConnectorWithoutTablesCapturesEverythingSoNoEntityIsReported() throws IOException {
        application();
        write(
                "connectors/pagila.yaml",
                connector("pagila", "postgres", "tables: [public.rental]\n"));
        write("connectors/shop.yaml", connector("shop", "postgres", ""));
        write("observers/orders.yaml", observer("public.orders"));

        ConfigValidator.Report report = validate();

        assertThat(report.problems()).isEmpty();
        assertThat(report.warnings()).isEmpty();
        assertThat(report.connectors()).isEqualTo(2);
    }

    @Test
    void aConnectorTypeWhoseClassIsNotInstalledIsAnErrorListingTheInstalledTypes()
            throws IOException {
        application();
        write("connectors/maria.yaml", connector("maria", "mariadb", ""));
        write(
                "connectors/typo.yaml",
                connector("typo", "io.debezium.connector.postgresql.PostgresConector", ""));
        write("connectors/shop.yaml", connector("shop", "postgres", ""));

        ConfigValidator.Report report = validate(POSTGRES_CLASS::equals);

        assertThat(report.problems())
                .extracting(Problem::describe)
                .containsExactly(
                        "connectors/maria.yaml:2: type: needs Debezium's connector class"
                                + " io.debezium.connector.mariadb.MariaDbConnector, which is not"
                                + " on the classpath of this installation (value: 'mariadb'); use"
                                + " one of the installed types: postgres; or add the connector's"
                                + " jar to the classpath",
                        "connectors/typo.yaml:2: type: is not a Debezium connector class on the"
                                + " classpath of this installation (value:"
                                + " 'io.debezium.connector.postgresql.PostgresConector'); use one"
                                + " of the installed types: postgres; did you mean"
                                + " io.debezium.connector.postgresql.PostgresConnector?");
    }
}
