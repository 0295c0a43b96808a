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

    /**
     * Text that looks like an environment reference but is not one, so it would be used as it is:
     * {@code ${DB_PASSWORD}} (the shell's form), {@code ${ENV:NAME}}, {@code ${env:NAME} } without
     * its closing brace, or a name with a character a variable cannot have. References of other
     * Kafka config providers ({@code ${file:/path:key}}) are left alone: clients expand those.
     */
    private static final Pattern LOOKALIKE =
            Pattern.compile("\\$\\{(?:[A-Za-z_][A-Za-z0-9_]*}|(?i:env):(?:[^}]*}?))");

    /**
     * A reference written wrongly.
     *
     * @param text the reference as written
     * @param fix how to write it
     */
    public record Malformed(String text, String fix) {}

    /** The result of expanding one text: the text, any unset references and any malformed ones. */
    public record Result(String text, List<String> unsetNames, List<Malformed> malformed) {
        public Result {
            unsetNames = List.copyOf(unsetNames);
            malformed = List.copyOf(malformed);
        }

        public Result(String text, List<String> unsetNames) {
            this(text, unsetNames, List.of());
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
        return new Result(out.toString(), unset, malformed(text));
    }

    /** The look-alikes of references in a text (see {@link Malformed}), in order. */
    public static List<Malformed> malformed(String text) {
        List<Malformed> found = new ArrayList<>();
        if (text == null || !text.contains("${")) {
            return found;
        }
        Matcher lookalike = LOOKALIKE.matcher(text);
        while (lookalike.find()) {
            String written = lookalike.group();
            if (REFERENCE.matcher(written).matches()) {
                continue;
            }
            found.add(new Malformed(written, fixFor(written)));
        }
        return found;
    }

    private static String fixFor(String written) {
        String inner =
                written.substring(
                        2, written.endsWith("}") ? written.length() - 1 : written.length());
        String name = inner.contains(":") ? inner.substring(inner.indexOf(':') + 1) : inner;
        String defaultPart = "";
        int dash = name.indexOf(":-");
        if (dash >= 0) {
            defaultPart = name.substring(dash);
            name = name.substring(0, dash);
        }
        String cleaned = name.trim().replaceAll("[^A-Za-z0-9_]", "_");
        if (cleaned.isEmpty() || Character.isDigit(cleaned.charAt(0))) {
            cleaned = "NAME";
        }
        return "write ${env:" + cleaned + defaultPart + "} (letters, digits and underscores)";
    }

    /** The message of a problem about a look-alike reference. */
    public static String malformedMessage(Malformed malformed) {
        return "'"
                + malformed.text()
                + "' is not an environment reference (${env:NAME}), so it would be used as it is";
    }

    /** True when the text refers to at least one environment variable. */
    public static boolean hasReference(String text) {
        return text != null && REFERENCE.matcher(text).find();
    }
}
