package dev.fraiseql.observers.ops.cli.dlq;

import dev.fraiseql.observers.ops.cli.support.ConfigOption;
import dev.fraiseql.observers.ops.cli.support.DurationOption;
import dev.fraiseql.observers.schemas.Job;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code observers dlq list|show|stats}: looks at the jobs waiting in {@code <prefix>.jobs.dlq}
 * (those {@code replay dlq} has not moved yet). Reads only.
 */
@Command(
        name = "dlq",
        mixinStandardHelpOptions = true,
        description = "Lists, shows and counts the dead-lettered jobs that wait for a replay.",
        subcommands = {DlqCommand.ListJobs.class, DlqCommand.Show.class, DlqCommand.Stats.class})
public final class DlqCommand implements Runnable {
    /** The longest excerpt of a last error in a list line. */
    private static final int ERROR_EXCERPT = 60;

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name a subcommand: list, show or stats");
    }

    /** What the subcommands share: the config folder, the timeout, and reading the DLQ. */
    abstract static class DlqWork implements Callable<Integer> {
        @Mixin ConfigOption config;

        @Option(
                names = "--timeout",
                defaultValue = "30s",
                converter = DurationOption.class,
                description = "How long reading the DLQ may take (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<DeadLetter> letters =
                    new DeadLetterReader(config.load().application(), timeout).readAll();
            PrintWriter out = spec.commandLine().getOut();
            int exit = print(out, letters);
            out.flush();
            return exit;
        }

        abstract int print(PrintWriter out, List<DeadLetter> letters);
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description =
                    "One line per waiting job: job id, observer, action, attempts, last status,"
                            + " last error, time dead-lettered.")
    static final class ListJobs extends DlqWork {
        @Override
        int print(PrintWriter out, List<DeadLetter> letters) {
            out.printf(
                    "%-36s %-24s %-8s %8s %6s %-24s %s%n",
                    "JOB ID", "OBSERVER", "ACTION", "ATTEMPTS", "STATUS", "TIME", "LAST ERROR");
            for (DeadLetter letter : letters) {
                Job job = letter.job();
                out.printf(
                        "%-36s %-24s %-8s %8d %6s %-24s %s%n",
                        job.getJobId(),
                        job.getObserver(),
                        job.getActionType(),
                        job.getAttempt(),
                        job.getLastStatus() == null ? "-" : job.getLastStatus().toString(),
                        letter.deadLetteredAt(),
                        excerpt(job.getLastError()));
            }
            out.printf("%d job(s) waiting in the DLQ%n", letters.size());
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description =
                    "Every field and header of one waiting job. Exits 1 when it is not found.")
    static final class Show extends DlqWork {
        @Parameters(index = "0", paramLabel = "<job id>", description = "The job id to show.")
        String jobId;

        @Override
        int print(PrintWriter out, List<DeadLetter> letters) {
            List<DeadLetter> found =
                    letters.stream().filter(l -> l.job().getJobId().equals(jobId)).toList();
            if (found.isEmpty()) {
                out.printf("no job %s is waiting in the DLQ%n", jobId);
                return 1;
            }
            for (DeadLetter letter : found) {
                Job job = letter.job();
                out.printf("job id:         %s%n", job.getJobId());
                out.printf("observer:       %s%n", job.getObserver());
                out.printf("action:         %d (%s)%n", job.getActionIndex(), job.getActionType());
                out.printf("event:          %s%n", job.getEvent().getEventId());
                out.printf("entity:         %s %s%n", job.getEvent().getEntity(), letter.key());
                out.printf("attempts:       %d%n", job.getAttempt());
                out.printf("replay count:   %d%n", job.getReplayCount());
                out.printf("created:        %s%n", Instant.ofEpochMilli(job.getCreatedAtMs()));
                out.printf("first failure:  %s%n", time(job.getFirstFailureAtMs()));
                out.printf("last failure:   %s%n", time(job.getLastFailureAtMs()));
                out.printf(
                        "last status:    %s%n",
                        job.getLastStatus() == null ? "-" : job.getLastStatus());
                out.printf("error class:    %s%n", letter.errorClass());
                out.printf(
                        "last error:     %s%n",
                        job.getLastError() == null ? "-" : job.getLastError());
                out.printf("dead-lettered:  %s%n", letter.deadLetteredAt());
                out.printf(
                        "dlq position:   partition %d, offset %d%n",
                        letter.partition(), letter.offset());
                out.println("headers:");
                for (Map.Entry<String, String> header : letter.headers()) {
                    out.printf("  %s: %s%n", header.getKey(), header.getValue());
                }
            }
            return 0;
        }

        private static String time(Long epochMs) {
            return epochMs == null ? "-" : Instant.ofEpochMilli(epochMs).toString();
        }
    }

    @Command(
            name = "stats",
            mixinStandardHelpOptions = true,
            description = "Waiting jobs counted per observer and per error class.")
    static final class Stats extends DlqWork {
        @Override
        int print(PrintWriter out, List<DeadLetter> letters) {
            out.println("by observer:");
            DeadLetterReader.countBy(letters, l -> l.job().getObserver())
                    .forEach((name, count) -> out.printf("  %-32s %d%n", name, count));
            out.println("by error class:");
            DeadLetterReader.countBy(letters, DeadLetter::errorClass)
                    .forEach((name, count) -> out.printf("  %-32s %d%n", name, count));
            out.printf("%d job(s) waiting in the DLQ%n", letters.size());
            return 0;
        }
    }

    private static String excerpt(String error) {
        if (error == null) {
            return "-";
        }
        String line = error.replace('\n', ' ').replace('\r', ' ');
        return line.length() <= ERROR_EXCERPT ? line : line.substring(0, ERROR_EXCERPT - 3) + "...";
    }
}
