package dev.fraiseql.observers.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.action.ActionOptionsValidators;
import dev.fraiseql.observers.core.config.EnvExpander;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {
    private static final String OBSERVER =
            "observers:\n"
                    + "  - name: rental-returned\n"
                    + "    entity: public.rental\n"
                    + "    on: [update]\n"
                    + "    when: changed_from('return_date', null) && after.return_date != null\n"
                    + "    actions:\n"
                    + "      - webhook:\n"
                    + "          url: https://hooks.example.test/rentals\n"
                    + "          secret: ${env:RENTAL_HOOK_SECRET}\n";

    private final StringWriter output = new StringWriter();

    private int run(Path folder, Map<String, String> environment) {
        CommandLine command =
                new CommandLine(
                        new ValidateCommand(
                                EnvExpander.of(environment), ActionOptionsValidators.standard()));
        command.setOut(new PrintWriter(output));
        return command.execute(folder.toString());
    }

    private static Path configFolder(Path root, String observers) throws Exception {
        Files.writeString(
                root.resolve("application.yaml"), "kafka:\n  bootstrap.servers: 127.0.0.1:9092\n");
        Files.createDirectories(root.resolve("observers"));
        Files.writeString(root.resolve("observers/rentals.yaml"), observers);
        return root;
    }

    @Test
    void validFolderExitsZero(@TempDir Path root) throws Exception {
        int exit = run(configFolder(root, OBSERVER), Map.of("RENTAL_HOOK_SECRET", "whsec_abc"));

        assertThat(exit).isZero();
        assertThat(output.toString())
                .contains("is valid: application.yaml, 0 connector(s), 1 observer(s)");
    }

    @Test
    void theFolderMayAlsoBeGivenWithConfigAsInTheOtherCommands(@TempDir Path root)
            throws Exception {
        Path folder = configFolder(root, OBSERVER);
        CommandLine command =
                new CommandLine(
                        new ValidateCommand(
                                EnvExpander.of(Map.of("RENTAL_HOOK_SECRET", "whsec_abc")),
                                ActionOptionsValidators.standard()));
        command.setOut(new PrintWriter(output));
        StringWriter errors = new StringWriter();
        command.setErr(new PrintWriter(errors));

        int withOption = command.execute("--config", folder.toString());
        int withNeither = command.execute();

        assertThat(withOption).isZero();
        assertThat(output.toString()).contains("is valid: application.yaml");
        assertThat(withNeither).isEqualTo(2);
        assertThat(errors.toString()).contains("give the config folder once");
    }

    @Test
    void everyProblemIsPrintedWithFileLineAndFix(@TempDir Path root) throws Exception {
        String broken =
                OBSERVER.replace("on: [update]", "on: [insert]").replace("when: ", "wehn: ");

        int exit = run(configFolder(root, broken), Map.of());

        assertThat(exit).isEqualTo(ValidateCommand.EXIT_INVALID);
        assertThat(output.toString().lines())
                .containsExactly(
                        "observers/rentals.yaml:5: observers[0].wehn: unknown key; did you mean"
                                + " 'when'?",
                        "observers/rentals.yaml:4: observers[0].on: is not an operation (value:"
                                + " 'insert'); did you mean 'create'?",
                        "observers/rentals.yaml:9: observers[0].actions[0].webhook.secret:"
                            + " environment variable RENTAL_HOOK_SECRET is not set (value:"
                            + " '[hidden]'); set RENTAL_HOOK_SECRET in the environment, or give a"
                            + " default: ${env:RENTAL_HOOK_SECRET:-value}",
                        "3 problem(s) in " + root + "; nothing was changed");
    }

    @Test
    void filesThatAreNotReadAreWarningsAndTheFolderStillValidates(@TempDir Path root)
            throws Exception {
        Path folder = configFolder(root, OBSERVER);
        Files.writeString(folder.resolve("observers/orders.json"), "{}");
        Files.createDirectories(folder.resolve("observer"));

        int exit = run(folder, Map.of("RENTAL_HOOK_SECRET", "whsec_abc"));

        assertThat(exit).isZero();
        assertThat(output.toString().lines())
                .containsExactly(
                        "warning: observer/: this folder is not read: observer files are read from"
                                + " observers/ only; did you mean observers/? rename it (or move"
                                + " its files into observers/)",
                        "warning: observers/orders.json: this file is not read: only *.yaml and"
                                + " *.yml files in observers/ are read; give it a .yaml name to"
                                + " have it read, or move it out of observers/",
                        root
                                + " is valid: application.yaml, 0 connector(s), 1 observer(s); 2"
                                + " warning(s)");
    }

    @Test
    void aConnectorClassThatIsNotInstalledFailsWithTheInstalledTypes(@TempDir Path root)
            throws Exception {
        Path folder = configFolder(root, OBSERVER);
        Files.createDirectories(folder.resolve("connectors"));
        Files.writeString(
                folder.resolve("connectors/erp.yaml"),
                "name: erp\n"
                        + "type: io.debezium.connector.oracle.OracleConnector\n"
                        + "database: { host: 127.0.0.1, name: erp, user: cdc }\n");
        Files.writeString(
                folder.resolve("connectors/pagila.yaml"),
                "name: pagila\n"
                        + "type: postgres\n"
                        + "database: { host: 127.0.0.1, name: pagila, user: cdc }\n");

        int exit = run(folder, Map.of("RENTAL_HOOK_SECRET", "whsec_abc"));

        assertThat(exit).isEqualTo(ValidateCommand.EXIT_INVALID);
        assertThat(output.toString().lines())
                .containsExactly(
                        "connectors/erp.yaml:2: type: is not a Debezium connector class on the"
                                + " classpath of this installation (value:"
                                + " 'io.debezium.connector.oracle.OracleConnector'); use one of"
                                + " the installed types: postgres, mysql; or add the connector's"
                                + " jar to the classpath",
                        "1 problem(s) in " + root + "; nothing was changed");
    }

    @Test
    void missingApplicationFileIsAProblem(@TempDir Path root) throws Exception {
        configFolder(root, OBSERVER);
        Files.delete(root.resolve("application.yaml"));

        int exit = run(root, Map.of("RENTAL_HOOK_SECRET", "x"));

        assertThat(exit).isEqualTo(ValidateCommand.EXIT_INVALID);
        assertThat(output.toString()).startsWith("application.yaml: is missing from");
    }

    @Test
    void defaultCommandChecksOptionsWithTheExecutorsOwnRules(@TempDir Path root) throws Exception {
        String observer =
                "observers:\n"
                        + "  - name: rental-logged\n"
                        + "    entity: public.rental\n"
                        + "    on: [update]\n"
                        + "    actions:\n"
                        + "      - log: { level: loud }\n";
        CommandLine command = new CommandLine(new ValidateCommand());
        command.setOut(new PrintWriter(output));

        int exit = command.execute(configFolder(root, observer).toString());

        assertThat(exit).isEqualTo(ValidateCommand.EXIT_INVALID);
        assertThat(output.toString())
                .contains(
                        "observers/rentals.yaml:6: observers[0].actions[0].log: log.level: 'loud'"
                                + " is not one of [debug, info, warn]");
    }

    @Test
    void defaultCommandChecksKafkaOptionsLikeTheRunningExecutor(@TempDir Path root)
            throws Exception {
        // 'key' is not a kafka action option: the executor rejects it at run time, so validate
        // must.
        String observer =
                "observers:\n"
                        + "  - name: rental-published\n"
                        + "    entity: public.rental\n"
                        + "    on: [update]\n"
                        + "    actions:\n"
                        + "      - kafka: { topic: rentals.returned, key: rental_id }\n";
        CommandLine command = new CommandLine(new ValidateCommand());
        command.setOut(new PrintWriter(output));

        int exit = command.execute(configFolder(root, observer).toString());

        assertThat(exit).isEqualTo(ValidateCommand.EXIT_INVALID);
        assertThat(output.toString())
                .contains(
                        "observers/rentals.yaml:6: observers[0].actions[0].kafka: kafka.key:"
                                + " unknown option; known options are [topic]");
    }
}
