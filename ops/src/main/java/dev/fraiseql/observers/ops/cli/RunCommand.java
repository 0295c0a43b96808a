package dev.fraiseql.observers.ops.cli;

import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import dev.fraiseql.observers.core.config.app.ConfigFolder;
import dev.fraiseql.observers.core.config.app.PartSwitches;
import dev.fraiseql.observers.streams.app.ObserversApplication;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code observers run --config <dir>}: the product in one process until SIGTERM or Ctrl-C, which
 * let in-flight jobs finish (up to {@code shutdown.timeout}), commit, and close every part.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the connectors, the topology, the job worker and the HTTP endpoint in one"
                    + " process.",
            "Each part can be switched off (here or with parts.* in application.yaml) to deploy the"
                    + " parts apart."
        })
final class RunCommand implements Callable<Integer> {
    @Mixin private ConfigDirOption config;

    @Option(names = "--connectors", negatable = true, description = "Run the connectors.")
    private Boolean connectors;

    @Option(names = "--topology", negatable = true, description = "Run the Streams topology.")
    private Boolean topology;

    @Option(names = "--worker", negatable = true, description = "Run the job worker.")
    private Boolean worker;

    @Option(names = "--http", negatable = true, description = "Run the HTTP endpoint.")
    private Boolean http;

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConfigFolder loaded = config.load();
        ApplicationConfig application = loaded.application();
        ConfigFolder folder =
                new ConfigFolder(
                        loaded.root(), application.withParts(switches(application.parts())));
        ObserversApplication app = ObserversApplication.create(folder);

        Thread hook = new Thread(app::close, "observers-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        app.start();
        app.endpointUrl()
                .ifPresent(
                        url ->
                                spec.commandLine()
                                        .getOut()
                                        .println("observers running; " + url + "/health"));
        spec.commandLine().getOut().flush();

        while (!app.awaitStopped(Duration.ofHours(1))) {
            // Waits for the shutdown hook (SIGTERM, Ctrl-C) to close the application.
        }
        return 0;
    }

    private PartSwitches switches(PartSwitches fromFile) {
        return new PartSwitches(
                connectors == null ? fromFile.connectors() : connectors,
                topology == null ? fromFile.topology() : topology,
                worker == null ? fromFile.worker() : worker,
                http == null ? fromFile.http() : http);
    }
}
