package dev.fraiseql.observers.ops.cli.support;

import dev.fraiseql.observers.core.config.app.ApplicationConfigLoader;
import dev.fraiseql.observers.core.config.app.ConfigFolder;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config <dir>} option of the replay and DLQ commands. */
public final class ConfigOption {
    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "<dir>",
            description =
                    "Config folder: application.yaml, connectors/ and observers/."
                            + " $${env:NAME} references are expanded from the environment.")
    private Path dir;

    /** Loads and validates the folder; every problem is reported at once. */
    public ConfigFolder load() {
        return ApplicationConfigLoader.system().loadFolder(dir);
    }
}
