package dev.fraiseql.observers.ops.cli.replay;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code observers replay dlq|events}: puts jobs back on the queue to recover from failures. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Queues jobs again: dead-lettered jobs, or the jobs of past events.",
        subcommands = {ReplayDlqCommand.class, ReplayEventsCommand.class})
public final class ReplayCommand implements Runnable {
    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name a subcommand: dlq or events");
    }
}
