package dev.fraiseql.observers.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObserversCommandTest {
    @Test
    void helpListsTheSubcommands() {
        CommandRun run = CommandRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains(
                        "Usage: observers",
                        "run",
                        "topics",
                        "validate",
                        "demo",
                        "replay",
                        "dlq",
                        "help");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String[] args :
                new String[][] {
                    {"run", "--help"},
                    {"topics", "--help"},
                    {"topics", "apply", "--help"},
                    {"topics", "check", "--help"},
                    {"demo", "--help"},
                    {"replay", "dlq", "--help"},
                    {"replay", "events", "--help"},
                    {"dlq", "list", "--help"}
                }) {
            CommandRun run = CommandRun.of(args);

            assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(run.out())
                    .contains("Usage: observers " + String.join(" ", args).replace(" --help", ""));
        }
        assertThat(CommandRun.of("run", "--help").out())
                .contains(
                        "--config=<dir>",
                        "--[no-]connectors",
                        "--[no-]topology",
                        "--[no-]worker",
                        "--[no-]http");
    }

    @Test
    void invalidConfigIsReportedWithEveryProblemAndExitCode2(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("application.yaml"), "kafka: {}\nhttp.prot: 80\n");

        CommandRun run = CommandRun.of("topics", "check", "--config", dir.toString());

        assertThat(run.exitCode()).isEqualTo(ObserversCommand.EXIT_INVALID);
        assertThat(run.err())
                .startsWith("2 configuration problems:")
                .contains("application.yaml:2: http.prot: unknown key; did you mean 'http.port'?")
                .contains("kafka.bootstrap.servers: missing required key");
    }

    @Test
    void missingConfigOptionIsAUsageError() {
        CommandRun run = CommandRun.of("topics", "apply");

        assertThat(run.exitCode()).isEqualTo(ObserversCommand.EXIT_INVALID);
        assertThat(run.err()).contains("Missing required option: '--config=<dir>'");
    }

    @Test
    void topicsWithoutASubcommandAsksForOne() {
        CommandRun run = CommandRun.of("topics");

        assertThat(run.exitCode()).isEqualTo(ObserversCommand.EXIT_INVALID);
        assertThat(run.err()).contains("name a subcommand: apply or check");
    }
}
