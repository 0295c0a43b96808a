package dev.fraiseql.observers.ops.cli;

import dev.fraiseql.observers.core.action.ActionExecutor;
import dev.fraiseql.observers.core.action.ActionExecutors;
import dev.fraiseql.observers.core.action.ActionOptionsValidators;
import dev.fraiseql.observers.core.action.EmailExecutor;
import dev.fraiseql.observers.core.action.KafkaPublishExecutor;
import dev.fraiseql.observers.core.action.LogExecutor;
import dev.fraiseql.observers.core.action.SearchExecutor;
import dev.fraiseql.observers.core.action.SlackExecutor;
import dev.fraiseql.observers.core.action.WebhookExecutor;
import dev.fraiseql.observers.core.config.ConfigValidator;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.Problem;
import dev.fraiseql.observers.core.config.connector.InstalledConnectors;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code observers validate <config dir>}: checks application.yaml, the connector files and the
 * observer files, prints every problem with its file, line and fix, then every warning (a file or
 * folder that is not read, an observer whose table no connector captures) prefixed {@code
 * warning:}, and exits 0 only when there is no problem (2 otherwise); warnings do not fail it.
 * Connector types are checked against the Debezium connectors on this process's classpath.
 */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description =
                "Checks a config folder (application.yaml, connectors/, observers/) and prints"
                        + " every problem with its file, line and fix, then warnings about files"
                        + " it does not read; exits 2 when there is a problem.")
public final class ValidateCommand implements Callable<Integer> {
    /** The exit code when a file is invalid. */
    public static final int EXIT_INVALID = 2;

    @Spec private CommandSpec spec;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "<config dir>",
            description = "The config folder to check.")
    private Path positionalFolder;

    @Option(
            names = "--config",
            paramLabel = "<dir>",
            description = "The config folder to check, as the other commands take it.")
    private Path optionFolder;

    private Path folder;

    private final EnvExpander env;
    private final ActionOptionsValidators actions;

    /**
     * The command over this process's environment, checking action options with the executors' own
     * rules ({@code kafka} through its executor's static check: the executor itself needs a
     * broker).
     */
    public ValidateCommand() {
        this(EnvExpander.system(), null);
    }

    /** The command over a given environment and action types (for tests and embedding). */
    public ValidateCommand(EnvExpander env, ActionOptionsValidators actions) {
        this.env = Objects.requireNonNull(env, "env");
        this.actions = actions;
    }

    @Override
    public Integer call() {
        if ((positionalFolder == null) == (optionFolder == null)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "give the config folder once: observers validate <config dir> or"
                            + " observers validate --config <config dir>");
        }
        folder = positionalFolder != null ? positionalFolder : optionFolder;
        if (actions != null) {
            return validate(actions);
        }
        Clock clock = Clock.systemUTC();
        List<ActionExecutor> executors =
                List.of(
                        new WebhookExecutor(clock),
                        new SlackExecutor(clock),
                        new SearchExecutor(clock),
                        new EmailExecutor(1),
                        new LogExecutor());
        try {
            return validate(
                    ActionExecutors.validators(executors)
                            .with("kafka", KafkaPublishExecutor::optionProblems));
        } finally {
            for (ActionExecutor executor : executors) {
                try {
                    executor.close();
                } catch (RuntimeException e) {
                    // Nothing ran on it; a failed close must not hide the validation result.
                }
            }
        }
    }

    private int validate(ActionOptionsValidators validators) {
        PrintWriter out = spec.commandLine().getOut();
        ConfigValidator.Report report =
                new ConfigValidator(
                                env,
                                validators,
                                InstalledConnectors.in(ValidateCommand.class.getClassLoader()))
                        .validate(folder);
        for (Problem problem : report.problems()) {
            out.println(problem.describe());
        }
        for (Problem warning : report.warnings()) {
            out.println("warning: " + warning.describe());
        }
        String warnings =
                report.warnings().isEmpty() ? "" : report.warnings().size() + " warning(s)";
        if (report.valid()) {
            out.printf(
                    "%s is valid: application.yaml, %d connector(s), %d observer(s)%s%n",
                    folder,
                    report.connectors(),
                    report.observers(),
                    warnings.isEmpty() ? "" : "; " + warnings);
            out.flush();
            return 0;
        }
        out.printf(
                "%d problem(s)%s in %s; nothing was changed%n",
                report.problems().size(), warnings.isEmpty() ? "" : " and " + warnings, folder);
        out.flush();
        return EXIT_INVALID;
    }
}
