package dev.fraiseql.observers.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when configuration is invalid; carries every problem found, not only the first. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public ConfigException(List<Problem> problems) {
        super(render(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** The problems, in the order they were found. */
    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        return problems.size()
                + (problems.size() == 1 ? " configuration problem:" : " configuration problems:")
                + problems.stream().map(p -> "\n  - " + p.describe()).collect(Collectors.joining());
    }
}
