package dev.fraiseql.observers.ops.bench;

import dev.fraiseql.observers.core.config.app.ApplicationConfigLoader;
import dev.fraiseql.observers.core.config.app.ConfigFolder;
import dev.fraiseql.observers.ops.demo.DemoConfigFolder;
import dev.fraiseql.observers.streams.app.ObserversApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Starts the product for a benchmark the way the demo does: a config folder written by {@link
 * DemoConfigFolder} (embedded broker, one partition per topic), loaded and run by {@link
 * ObserversApplication}, with only the parts the benchmark measures switched on.
 */
final class BenchApplication {
    private BenchApplication() {}

    /**
     * The parts to run.
     *
     * @param connectors the Debezium engine of the rental table
     * @param topology normalize, dedup, entity cache, match
     * @param worker the job worker
     */
    record Parts(boolean connectors, boolean topology, boolean worker) {}

    /**
     * Writes the folder under {@code root} and returns the application, not yet started.
     *
     * @param prefix the application's topic prefix, so that benchmarks in one broker do not meet
     * @param connector the connector of the rental table (its database is not read unless the
     *     connectors part is on)
     * @param workerConcurrency {@code worker.concurrency}, or empty for the product's default
     */
    static ObserversApplication create(
            Path root,
            String bootstrapServers,
            String prefix,
            Parts parts,
            DemoConfigFolder.Connector connector,
            String observersYaml,
            OptionalInt workerConcurrency)
            throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("prefix: " + prefix);
        lines.add("parts:");
        lines.add("  connectors: " + parts.connectors());
        lines.add("  topology: " + parts.topology());
        lines.add("  worker: " + parts.worker());
        lines.add("  http: false");
        if (workerConcurrency.isPresent()) {
            lines.add("worker:");
            lines.add("  concurrency: " + workerConcurrency.getAsInt());
        }
        Path config =
                DemoConfigFolder.write(
                        Files.createDirectories(root),
                        bootstrapServers,
                        lines,
                        connector,
                        "bench",
                        observersYaml);
        ConfigFolder folder = ApplicationConfigLoader.system().loadFolder(config);
        return ObserversApplication.create(folder);
    }

    /**
     * A connector file for the rental table of a database that is never connected to: the topology
     * reads its name and topic prefix only.
     */
    static DemoConfigFolder.Connector unusedConnector(String name) {
        return new DemoConfigFolder.Connector(
                name, "127.0.0.1", 5432, "bench", List.of(RentalChanges.TABLE), "no_data");
    }
}
