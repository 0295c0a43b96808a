package dev.fraiseql.observers.ops.cli.replay;

import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import dev.fraiseql.observers.ops.cli.dlq.DeadLetter;
import dev.fraiseql.observers.ops.cli.support.ConfigOption;
import dev.fraiseql.observers.ops.cli.support.Progress;
import dev.fraiseql.observers.ops.cli.support.TimeConverter;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code observers replay dlq}: moves dead-lettered jobs back to the jobs topic. */
@Command(
        name = "dlq",
        mixinStandardHelpOptions = true,
        description = {
            "Moves dead-lettered jobs from <prefix>.jobs.dlq back to <prefix>.jobs, keeping their"
                    + " job ids (receivers see the same webhook-id), with attempt reset to 1 and"
                    + " replayCount raised by one.",
            "Each DLQ record is moved exactly once, even when two runs overlap: the DLQ is read by"
                    + " the consumer group <prefix>.ops.replay-dlq, and a transactional producer"
                    + " writes the re-queued jobs and commits the group's offsets in one"
                    + " transaction. A record counts as replayed only once that transaction"
                    + " commits.",
            "Records the filters do not select are carried over to the end of the DLQ in the same"
                    + " transaction and stay there for a later run.",
            "Times are ISO-8601 instants (2026-12-04T10:00:00Z) or durations ago (2h, 7d)."
        })
public final class ReplayDlqCommand implements Callable<Integer> {
    @Mixin private ConfigOption config;

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--observer", paramLabel = "N", description = "Only jobs of this observer.")
    private String observer;

    @Option(
            names = "--since",
            paramLabel = "T",
            converter = TimeConverter.class,
            description = "Only jobs dead-lettered at or after this time.")
    private Instant since;

    @Option(
            names = "--until",
            paramLabel = "T",
            converter = TimeConverter.class,
            description = "Only jobs dead-lettered before this time.")
    private Instant until;

    @Option(
            names = "--limit",
            paramLabel = "K",
            description = "Replay at most K jobs (default: all).")
    private Long limit;

    @Option(
            names = "--dry-run",
            description = "Print the jobs that would be replayed; change nothing.")
    private boolean dryRun;

    @Option(
            names = "--timeout",
            defaultValue = "60s",
            converter = dev.fraiseql.observers.ops.cli.support.DurationOption.class,
            description = "Give up after this long without progress (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Override
    public Integer call() {
        if (limit != null && limit < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--limit must be at least 1, was " + limit);
        }
        ApplicationConfig application = config.load().application();
        DlqReplayer replayer = new DlqReplayer(application, timeout);
        DlqReplayer.Filter filter = new DlqReplayer.Filter(observer, since, until);
        long max = limit == null ? Long.MAX_VALUE : limit;
        PrintWriter out = spec.commandLine().getOut();
        String jobs = application.topicNames().jobs();

        if (dryRun) {
            long count = replayer.dryRun(filter, max, letter -> out.println(describe(letter)));
            out.printf(
                    "dry run: %d job(s) would be replayed to %s; nothing was changed%n",
                    count, jobs);
            out.flush();
            return 0;
        }

        PrintWriter err = spec.commandLine().getErr();
        DlqReplayer.Result result =
                replayer.replay(
                        filter, max, total -> Progress.forConsole(err, "dead letters", total));
        if (result.heldElsewhere()) {
            out.println("another replay run holds the DLQ partitions; it replays what is waiting");
        }
        out.printf(
                "replayed %d job(s) to %s; %d not selected, kept in %s%n",
                result.replayed(), jobs, result.carried(), application.topicNames().jobsDlq());
        out.flush();
        return 0;
    }

    private static String describe(DeadLetter letter) {
        return String.format(
                "would replay %s observer=%s action=%s attempts=%d dead-lettered=%s",
                letter.job().getJobId(),
                letter.job().getObserver(),
                letter.job().getActionType(),
                letter.job().getAttempt(),
                letter.deadLetteredAt());
    }
}
