package dev.fraiseql.observers.ops.cli;

import dev.fraiseql.observers.core.config.ConfigException;
import dev.fraiseql.observers.ops.cli.dlq.DlqCommand;
import dev.fraiseql.observers.ops.cli.replay.ReplayCommand;
import dev.fraiseql.observers.ops.demo.DemoCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code observers} command. A subcommand is one class in this package, registered by adding it
 * to the {@code subcommands} list below.
 *
 * <p>Exit codes: 0 done, 1 the work found a problem (a topic mismatch) or failed, 2 the
 * configuration or the command line is invalid.
 */
@Command(
        name = "observers",
        mixinStandardHelpOptions = true,
        versionProvider = ObserversCommand.Version.class,
        description = "Database changes to events, observers to jobs, jobs to actions.",
        subcommands = {
            RunCommand.class,
            TopicsCommand.class,
            ValidateCommand.class,
            DemoCommand.class,
            ReplayCommand.class,
            DlqCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class ObserversCommand implements Runnable {
    /** The work found a problem or failed. */
    public static final int EXIT_FAILED = 1;

    /** The configuration or the command line is invalid. */
    public static final int EXIT_INVALID = 2;

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        JvmDefaults.apply();
        System.exit(commandLine().execute(args));
    }

    /** The command line with the product's error handling, for {@code main} and for tests. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new ObserversCommand());
        commandLine.setExecutionExceptionHandler(ObserversCommand::handleFailure);
        commandLine.setParameterExceptionHandler(
                (error, args) -> {
                    CommandLine failing = error.getCommandLine();
                    failing.getErr().println("error: " + error.getMessage());
                    failing.getErr()
                            .println(
                                    "see '"
                                            + failing.getCommandSpec().qualifiedName()
                                            + " --help'");
                    failing.getErr().flush();
                    return EXIT_INVALID;
                });
        return commandLine;
    }

    private static int handleFailure(
            Exception error, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (error instanceof ConfigException config) {
            err.println(config.getMessage());
            err.flush();
            return EXIT_INVALID;
        }
        err.println("error: " + error.getMessage());
        err.flush();
        org.slf4j.LoggerFactory.getLogger(ObserversCommand.class).debug("command failed", error);
        return EXIT_FAILED;
    }

    /** Without a subcommand, prints the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar's manifest, when run from the packaged jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ObserversCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                "observers " + (version == null ? "(development build)" : version)
            };
        }
    }
}
