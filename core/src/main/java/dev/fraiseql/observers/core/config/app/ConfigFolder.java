package dev.fraiseql.observers.core.config.app;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A loaded config folder: {@code application.yaml} (validated), and the {@code connectors/} and
 * {@code observers/} folders whose files the connectors and the observers read.
 *
 * @param root the folder, absolute
 * @param application the validated {@code application.yaml}
 */
public record ConfigFolder(Path root, ApplicationConfig application) {
    /** The application file's name inside the folder. */
    public static final String APPLICATION_FILE = "application.yaml";

    public ConfigFolder {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(application, "application");
        root = root.toAbsolutePath().normalize();
    }

    /** The folder of connector files ({@code connectors/*.yaml}); it may not exist. */
    public Path connectorsDir() {
        return root.resolve("connectors");
    }

    /** The folder of observer files ({@code observers/*.yaml}); it may not exist. */
    public Path observersDir() {
        return root.resolve("observers");
    }
}
