package dev.fraiseql.observers.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code ${env:NAME}} and {@code ${env:NAME:-default}} in configuration text. A reference
 * to an unset variable without a default is a problem, reported with the file and the name.
 */
public final class EnvExpander {
    private static final Pattern REFERENCE =
            Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    private final Function<String, String> environment;

    /** An expander over the given environment lookup (returns null for unset names). */
    public EnvExpander(Function<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** An expander over this process's environment. */
    public static EnvExpander system() {
        return new EnvExpander(System::getenv);
    }

    /** An expander over a fixed map, for tests and embedded use. */
    public static EnvExpander of(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(variables);
        return new EnvExpander(copy::get);
    }

    /** The result of expanding one text: the text and any unset references. */
    public record Result(String text, List<String> unsetNames) {
        public Result {
            unsetNames = List.copyOf(unsetNames);
        }
    }

    /** Expands every reference; unset names without a default are left in place and listed. */
    public Result expand(String text) {
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        List<String> unset = new ArrayList<>();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = environment.apply(name);
            if (value == null) {
                value = matcher.group(3);
            }
            if (value == null) {
                unset.add(name);
                value = matcher.group(0);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return new Result(out.toString(), unset);
    }

    /** True when the text refers to at least one environment variable. */
    public static boolean hasReference(String text) {
        return text != null && REFERENCE.matcher(text).find();
    }
}
