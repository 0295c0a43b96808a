package dev.fraiseql.observers.ops.cli;

import dev.fraiseql.observers.core.config.app.ApplicationConfigLoader;
import dev.fraiseql.observers.core.config.app.ConfigFolder;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config <dir>} option shared by the commands that read a config folder. */
final class ConfigDirOption {
    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "<dir>",
            description =
                    "Config folder: application.yaml, connectors/ and observers/."
                            + " $${env:NAME} references are expanded from the environment.")
    Path dir;

    /** Loads and validates the folder; every problem is reported at once. */
    ConfigFolder load() {
        return ApplicationConfigLoader.system().loadFolder(dir);
    }
}
