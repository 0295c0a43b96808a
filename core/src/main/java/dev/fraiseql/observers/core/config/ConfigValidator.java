package dev.fraiseql.observers.core.config;

import dev.fraiseql.observers.core.action.ActionOptionsValidators;
import dev.fraiseql.observers.core.config.app.ApplicationConfigLoader;
import dev.fraiseql.observers.core.config.connector.ConnectorConfig;
import dev.fraiseql.observers.core.config.connector.ConnectorFileLoader;
import dev.fraiseql.observers.core.config.connector.InstalledConnectors;
import dev.fraiseql.observers.core.observer.Observer;
import dev.fraiseql.observers.core.observer.ObserverLoader;
import dev.fraiseql.observers.core.observer.condition.ConditionCompiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Checks a whole config folder without running anything: {@code application.yaml}, every connector
 * file in {@code connectors/} and every observer file in {@code observers/}, then what only shows
 * across files (see {@code CrossFileChecks}) and the files the product would not read (see {@code
 * UnreadFiles}). Every problem of every file is collected, so one run lists all that must be fixed.
 *
 * <p>Problems are errors: the folder cannot run as it is. Warnings are things the product would
 * pass over in silence (a file it does not read, an observer no connector feeds); the folder still
 * runs.
 */
public final class ConfigValidator {
    private final EnvExpander env;
    private final ActionOptionsValidators actions;
    private final Predicate<String> installedConnector;

    /**
     * A validator expanding {@code ${env:...}} with this expander and these action types, taking
     * every connector class as installed.
     */
    public ConfigValidator(EnvExpander env, ActionOptionsValidators actions) {
        this(env, actions, className -> true);
    }

    /**
     * A validator that also checks each connector's Debezium class with {@code installedConnector}
     * (for example {@link InstalledConnectors#in}).
     */
    public ConfigValidator(
            EnvExpander env,
            ActionOptionsValidators actions,
            Predicate<String> installedConnector) {
        this.env = Objects.requireNonNull(env, "env");
        this.actions = Objects.requireNonNull(actions, "actions");
        this.installedConnector = Objects.requireNonNull(installedConnector, "installedConnector");
    }

    /** What a validation found. */
    public record Report(
            List<Problem> problems, List<Problem> warnings, int connectors, int observers) {
        public Report {
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
        }

        /** True when every file is valid; warnings do not count. */
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /**
     * Warnings for the files and folders under a config folder that the product does not read (a
     * {@code observers/orders.json}, a misspelt {@code observer/}), for a running app to log.
     */
    public static List<Problem> unreadFiles(Path folder) {
        return UnreadFiles.find(folder);
    }

    /** Validates the folder. */
    public Report validate(Path folder) {
        List<Problem> problems = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>(UnreadFiles.find(folder));

        try {
            new ApplicationConfigLoader(env).loadFolder(folder);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }

        List<ConnectorConfig> connectors = new ArrayList<>();
        ConnectorFileLoader connectorLoader = new ConnectorFileLoader(env);
        for (Path file : yamlFiles(folder.resolve("connectors"))) {
            try {
                connectors.add(connectorLoader.load(file));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        problems.addAll(CrossFileChecks.duplicateConnectorNames(folder, connectors));
        problems.addAll(
                CrossFileChecks.uninstalledConnectorTypes(folder, connectors, installedConnector));

        List<Observer> observers = List.of();
        Path observersDir = folder.resolve("observers");
        if (Files.isDirectory(observersDir)) {
            ObserverLoader.Result result =
                    new ObserverLoader(new ConditionCompiler(), actions, env).read(observersDir);
            problems.addAll(result.problems());
            observers = result.observers();
        }
        warnings.addAll(CrossFileChecks.uncapturedEntities(connectors, observers));

        return new Report(problems, warnings, connectors.size(), observers.size());
    }

    private static List<Path> yamlFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> UnreadFiles.isRead(p.getFileName().toString()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
