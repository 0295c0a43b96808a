package dev.fraiseql.observers.ops.cli.replay;

import dev.fraiseql.observers.core.config.app.ConfigFolder;
import dev.fraiseql.observers.core.observer.ObserverLoader;
import dev.fraiseql.observers.core.observer.ObserverSet;
import dev.fraiseql.observers.ops.cli.support.ConfigOption;
import dev.fraiseql.observers.ops.cli.support.DurationOption;
import dev.fraiseql.observers.ops.cli.support.Progress;
import dev.fraiseql.observers.ops.cli.support.TimeConverter;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code observers replay events}: re-evaluates the current observers over past events. */
@Command(
        name = "events",
        mixinStandardHelpOptions = true,
        description = {
            "Reads <prefix>.events in a time window, evaluates the observer files of the config"
                    + " folder as they are NOW on each event, and queues the selected jobs on"
                    + " <prefix>.jobs.",
            "Job ids are deterministic (event, observer, action), so the worker and receivers"
                    + " recognise repeats; jobs that <prefix>.jobs.outcomes records as DELIVERED"
                    + " are skipped and counted.",
            "Times are ISO-8601 instants (2026-12-04T10:00:00Z) or durations ago (2h, 7d)."
        })
public final class ReplayEventsCommand implements Callable<Integer> {
    @Mixin private ConfigOption config;

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "T",
            converter = TimeConverter.class,
            description = "Start of the window (inclusive), on the event records' timestamps.")
    private Instant from;

    @Option(
            names = "--to",
            paramLabel = "T",
            converter = TimeConverter.class,
            description = "End of the window (exclusive); default: now.")
    private Instant to;

    @Option(names = "--entity", paramLabel = "E", description = "Only events of this schema.table.")
    private String entity;

    @Option(names = "--observer", paramLabel = "N", description = "Only jobs of this observer.")
    private String observer;

    @Option(
            names = "--dry-run",
            description = "Print what would fire, per observer; queue nothing.")
    private boolean dryRun;

    @Option(
            names = "--timeout",
            defaultValue = "60s",
            converter = DurationOption.class,
            description = "Give up after this long without progress (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Override
    public Integer call() {
        ConfigFolder folder = config.load();
        EventReplayer.Window window;
        try {
            window = new EventReplayer.Window(from, to, entity, observer);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ObserverSet observers =
                new ObserverSet(ObserverLoader.standard().load(folder.observersDir()));
        if (observer != null
                && observers.observers().stream().noneMatch(o -> o.name().equals(observer))) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "no observer named '" + observer + "' in " + folder.observersDir());
        }

        PrintWriter err = spec.commandLine().getErr();
        EventReplayer.Report report =
                new EventReplayer(folder.application(), timeout, Clock.systemUTC())
                        .replay(
                                observers,
                                window,
                                dryRun,
                                total -> Progress.forConsole(err, "events", total));

        print(spec.commandLine().getOut(), report, folder.application().topicNames().jobs());
        return 0;
    }

    private void print(PrintWriter out, EventReplayer.Report report, String jobsTopic) {
        String verb = dryRun ? "would fire" : "queued";
        for (Map.Entry<String, EventReplayer.ObserverCount> entry :
                report.perObserver().entrySet()) {
            out.printf(
                    "%s: %d job(s) %s, %d already delivered (skipped)%n",
                    entry.getKey(),
                    entry.getValue().selected(),
                    verb,
                    entry.getValue().alreadyDelivered());
        }
        if (dryRun) {
            out.printf(
                    "dry run: %d event(s) read, %d job(s) would be queued on %s, %d already"
                            + " delivered; nothing was queued%n",
                    report.events(), report.selected(), jobsTopic, report.alreadyDelivered());
        } else {
            out.printf(
                    "%d event(s) read, %d job(s) queued on %s, %d already delivered (skipped)%n",
                    report.events(), report.selected(), jobsTopic, report.alreadyDelivered());
        }
        out.flush();
    }
}
