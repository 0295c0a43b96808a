package dev.fraiseql.observers.core.observer;

import dev.fraiseql.observers.core.action.ActionOptionsValidators;
import dev.fraiseql.observers.core.config.ConfigException;
import dev.fraiseql.observers.core.config.ConfigFiles;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.Problem;
import dev.fraiseql.observers.core.observer.condition.ConditionCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Loads the observer files of a config folder's {@code observers/} folder: every {@code *.yaml} and
 * {@code *.yml} file, in name order.
 *
 * <pre>{@code
 * observers:
 *   - name: rental-returned            # unique across all files; lower-case, digits, . _ -
 *     entity: public.rental            # schema.table
 *     on: [update]                     # create, update, delete, truncate, read
 *     when: changed_from('return_date', null) && after.return_date != null   # optional CEL
 *     enabled: true                    # optional; false keeps the observer loaded but idle
 *     actions:
 *       - webhook:
 *           url: https://hooks.example.test/rentals
 *           secret: ${env:RENTAL_HOOK_SECRET}
 *         retry: { max_attempts: 8, initial_delay: 1s, multiplier: 2, max_delay: 10m, jitter: 0.2 }
 * }</pre>
 *
 * <p>Every file is read and every problem collected (YAML shape, unknown keys with the nearest
 * valid one, CEL syntax and type errors, action options, retry policies, unset {@code ${env:...}}
 * references, names used twice) before {@link #load} throws one {@link ConfigException}. Conditions
 * are compiled here, once.
 */
public final class ObserverLoader {
    private final ConditionCompiler compiler;
    private final ActionOptionsValidators validators;
    private final EnvExpander env;

    /** A loader with its compiler, the action types it accepts, and the environment to expand. */
    public ObserverLoader(
            ConditionCompiler compiler, ActionOptionsValidators validators, EnvExpander env) {
        this.compiler = Objects.requireNonNull(compiler, "compiler");
        this.validators = Objects.requireNonNull(validators, "validators");
        this.env = Objects.requireNonNull(env, "env");
    }

    /** A loader with the standard action types over this process's environment. */
    public static ObserverLoader standard() {
        return new ObserverLoader(
                new ConditionCompiler(), ActionOptionsValidators.standard(), EnvExpander.system());
    }

    /** What reading a folder found: the valid observers, and every problem. */
    public record Result(List<Observer> observers, List<Problem> problems) {
        public Result {
            observers = List.copyOf(observers);
            problems = List.copyOf(problems);
        }

        /** True when nothing is wrong. */
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** Loads the observers of a folder, or throws with every problem found. */
    public List<Observer> load(Path observersDir) {
        Result result = read(observersDir);
        if (!result.valid()) {
            throw new ConfigException(result.problems());
        }
        return result.observers();
    }

    /**
     * Reads every observer file of a folder; the problems name files as {@code observers/x.yaml}.
     */
    public Result read(Path observersDir) {
        String folder = observersDir.getFileName() == null ? "" : observersDir.getFileName() + "/";
        if (!Files.isDirectory(observersDir)) {
            return new Result(
                    List.of(),
                    List.of(
                            new Problem(
                                    folder.isEmpty() ? observersDir.toString() : folder,
                                    0,
                                    "",
                                    null,
                                    "the observers folder does not exist",
                                    "create it and put one or more observer .yaml files in it")));
        }
        Map<String, String> texts = new java.util.LinkedHashMap<>();
        List<Problem> unreadable = new ArrayList<>();
        for (Path file : files(observersDir)) {
            String name = folder + file.getFileName();
            try {
                texts.put(name, ConfigFiles.read(file, name));
            } catch (ConfigException e) {
                unreadable.addAll(e.problems());
            }
        }
        Result parsed = parse(texts);
        List<Problem> problems = new ArrayList<>(unreadable);
        problems.addAll(parsed.problems());
        return new Result(parsed.observers(), problems);
    }

    /** Reads observer files given as name and text, checking names across all of them. */
    public Result parse(Map<String, String> files) {
        List<Observer> observers = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            ObserverFileParser parser =
                    new ObserverFileParser(
                            file.getKey(), file.getValue(), compiler, validators, env);
            observers.addAll(parser.observers());
            problems.addAll(parser.problems());
        }
        problems.addAll(duplicateNames(observers));
        return new Result(observers, problems);
    }

    private static List<Problem> duplicateNames(List<Observer> observers) {
        Map<String, Observer> first = new HashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Observer observer : observers) {
            Observer earlier = first.putIfAbsent(observer.name(), observer);
            if (earlier != null) {
                problems.add(
                        new Problem(
                                observer.file(),
                                observer.line(),
                                "name",
                                observer.name(),
                                "observer name already used in "
                                        + earlier.file()
                                        + ":"
                                        + earlier.line(),
                                "give each observer its own name: it is part of every job id"));
            }
        }
        return problems;
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile)
                    .filter(
                            p ->
                                    p.getFileName().toString().endsWith(".yaml")
                                            || p.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + dir, e);
        }
    }
}
