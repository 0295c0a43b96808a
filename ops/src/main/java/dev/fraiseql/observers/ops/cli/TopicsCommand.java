package dev.fraiseql.observers.ops.cli;

import dev.fraiseql.observers.core.config.app.ConfigFolder;
import dev.fraiseql.observers.streams.app.TopicDeclaration;
import dev.fraiseql.observers.streams.app.TopicManager;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code observers topics apply|check}: creates the product's missing topics, or only compares them
 * with their declarations. A difference on an existing topic is printed and never changed.
 */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Creates or checks the product's topics.",
        subcommands = {TopicsCommand.Apply.class, TopicsCommand.Check.class})
final class TopicsCommand implements Runnable {
    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name a subcommand: apply or check");
    }

    /** What both subcommands share: the config folder and the admin timeout. */
    abstract static class TopicWork implements Callable<Integer> {
        @Mixin ConfigDirOption config;

        @Option(
                names = "--timeout",
                defaultValue = "30s",
                description =
                        "How long each Kafka admin call may take (default: ${DEFAULT-VALUE}).",
                converter = DurationConverter.class)
        Duration timeout;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            ConfigFolder folder = config.load();
            List<TopicDeclaration> declared = TopicDeclaration.of(folder.application(), List.of());
            TopicManager.Report report;
            try (Admin admin =
                    Admin.create(
                            TopicManager.adminProperties(
                                    folder.application().kafkaProperties(), timeout))) {
                report = work(new TopicManager(admin, timeout), declared);
            }
            PrintWriter out = spec.commandLine().getOut();
            print(out, declared, report);
            out.flush();
            return report.matches() ? 0 : ObserversCommand.EXIT_FAILED;
        }

        abstract TopicManager.Report work(TopicManager manager, List<TopicDeclaration> declared);

        private static void print(
                PrintWriter out, List<TopicDeclaration> declared, TopicManager.Report report) {
            for (TopicDeclaration topic : declared) {
                if (report.created().contains(topic.name())) {
                    out.printf(
                            "created  %s (partitions=%d, replication=%d, %s)%n",
                            topic.name(), topic.partitions(), topic.replication(), topic.configs());
                } else if (report.missing().contains(topic.name())) {
                    out.printf("missing  %s%n", topic.name());
                }
            }
            for (TopicManager.Mismatch mismatch : report.mismatches()) {
                out.printf("mismatch %s%n", mismatch.describe());
            }
            out.printf(
                    "%d topics declared: %d created, %d missing, %d mismatches%n",
                    declared.size(),
                    report.created().size(),
                    report.missing().size(),
                    report.mismatches().size());
        }
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description = {
                "Creates the missing topics with their declared settings.",
                "Exits 1 when an existing topic differs from its declaration (it is not changed)."
            })
    static final class Apply extends TopicWork {
        @Override
        TopicManager.Report work(TopicManager manager, List<TopicDeclaration> declared) {
            return manager.apply(declared);
        }
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = {
                "Compares the topics with their declarations, changing nothing.",
                "Exits 1 when a topic is missing or differs."
            })
    static final class Check extends TopicWork {
        @Override
        TopicManager.Report work(TopicManager manager, List<TopicDeclaration> declared) {
            return manager.check(declared);
        }
    }
}
