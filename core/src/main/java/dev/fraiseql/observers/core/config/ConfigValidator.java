package dev.fraiseql.observers.core.config;

import dev.fraiseql.observers.core.action.ActionOptionsValidators;
import dev.fraiseql.observers.core.config.app.ApplicationConfigLoader;
import dev.fraiseql.observers.core.config.connector.ConnectorFileLoader;
import dev.fraiseql.observers.core.observer.ObserverLoader;
import dev.fraiseql.observers.core.observer.condition.ConditionCompiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Checks a whole config folder without running anything: {@code application.yaml}, every connector
 * file in {@code connectors/} and every observer file in {@code observers/}. Every problem of every
 * file is collected, so one run lists all that must be fixed.
 */
public final class ConfigValidator {
    private final EnvExpander env;
    private final ActionOptionsValidators actions;

    /** A validator expanding {@code ${env:...}} with this expander and these action types. */
    public ConfigValidator(EnvExpander env, ActionOptionsValidators actions) {
        this.env = Objects.requireNonNull(env, "env");
        this.actions = Objects.requireNonNull(actions, "actions");
    }

    /** What a validation found. */
    public record Report(List<Problem> problems, int connectors, int observers) {
        public Report {
            problems = List.copyOf(problems);
        }

        /** True when every file is valid. */
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** Validates the folder. */
    public Report validate(Path folder) {
        List<Problem> problems = new ArrayList<>();

        try {
            new ApplicationConfigLoader(env).loadFolder(folder);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }

        int connectors = 0;
        Path connectorsDir = folder.resolve("connectors");
        ConnectorFileLoader connectorLoader = new ConnectorFileLoader(env);
        for (Path file : yamlFiles(connectorsDir)) {
            try {
                connectorLoader.load(file);
                connectors++;
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }

        int observers = 0;
        Path observersDir = folder.resolve("observers");
        if (Files.isDirectory(observersDir)) {
            ObserverLoader.Result result =
                    new ObserverLoader(new ConditionCompiler(), actions, env).read(observersDir);
            problems.addAll(result.problems());
            observers = result.observers().size();
        }
        return new Report(problems, connectors, observers);
    }

    private static List<Path> yamlFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(
                            p ->
                                    p.getFileName().toString().endsWith(".yaml")
                                            || p.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
