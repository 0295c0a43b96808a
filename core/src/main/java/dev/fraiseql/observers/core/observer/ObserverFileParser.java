package dev.fraiseql.observers.core.observer;

import dev.fraiseql.observers.core.action.ActionOptionsValidator;
import dev.fraiseql.observers.core.action.ActionOptionsValidators;
import dev.fraiseql.observers.core.action.ActionSpec;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.Problem;
import dev.fraiseql.observers.core.config.app.DurationText;
import dev.fraiseql.observers.core.observer.YamlTree.Entry;
import dev.fraiseql.observers.core.observer.YamlTree.Mapping;
import dev.fraiseql.observers.core.observer.YamlTree.Node;
import dev.fraiseql.observers.core.observer.YamlTree.Scalar;
import dev.fraiseql.observers.core.observer.YamlTree.Sequence;
import dev.fraiseql.observers.core.observer.condition.Condition;
import dev.fraiseql.observers.core.observer.condition.ConditionCompiler;
import dev.fraiseql.observers.core.observer.condition.ConditionIssue;
import dev.fraiseql.observers.core.retry.RetryPolicy;
import dev.fraiseql.observers.schemas.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one observer file into observers, collecting every problem of the file rather than stopping
 * at the first. Used by {@link ObserverLoader}; one parser reads one file.
 */
final class ObserverFileParser {
    static final List<String> ROOT_KEYS = List.of("observers");
    static final List<String> OBSERVER_KEYS =
            List.of("name", "entity", "on", "when", "actions", "enabled");
    static final List<String> RETRY_KEYS =
            List.of("max_attempts", "initial_delay", "multiplier", "max_delay", "jitter");
    static final List<String> OPERATIONS =
            List.of("create", "update", "delete", "truncate", "read");

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern ENTITY = Pattern.compile("[^.\\s]+\\.[^.\\s]+");
    private static final Pattern SECRET_KEY =
            Pattern.compile(".*(secret|password|token|webhook_url|api_key|apikey).*");

    private final String file;
    private final String[] lines;
    private final ConditionCompiler compiler;
    private final ActionOptionsValidators validators;
    private final EnvExpander env;
    private final List<Problem> problems = new ArrayList<>();
    private final List<Observer> observers = new ArrayList<>();

    ObserverFileParser(
            String file,
            String text,
            ConditionCompiler compiler,
            ActionOptionsValidators validators,
            EnvExpander env) {
        this.file = file;
        this.lines = text.split("\n", -1);
        this.compiler = compiler;
        this.validators = validators;
        this.env = env;
        parse(text);
    }

    List<Observer> observers() {
        return observers;
    }

    List<Problem> problems() {
        return problems;
    }

    private void parse(String text) {
        Node root;
        try {
            root = YamlTree.parse(text);
        } catch (YamlTree.SyntaxException e) {
            problem(
                    e.line(),
                    "",
                    null,
                    "not valid YAML: " + e.getMessage(),
                    "fix the YAML syntax at this line");
            return;
        }
        if (!(root instanceof Mapping mapping)) {
            problem(
                    root == null ? 0 : root.line(),
                    "",
                    null,
                    root == null
                            ? "the file is empty"
                            : "the file holds " + root.kind() + ", not a map",
                    "start the file with 'observers:' followed by a list of observers");
            return;
        }
        unknownKeys(mapping, "", ROOT_KEYS);
        Entry list = mapping.entries().get("observers");
        if (list == null) {
            problem(
                    mapping.line(),
                    "observers",
                    null,
                    "missing",
                    "add 'observers:' with a list of observers");
            return;
        }
        if (!(list.value() instanceof Sequence sequence)) {
            problem(
                    list.line(),
                    "observers",
                    null,
                    "is " + list.value().kind() + ", not a list",
                    "write one '- name: ...' entry per observer");
            return;
        }
        for (int i = 0; i < sequence.items().size(); i++) {
            observer(sequence.items().get(i), "observers[" + i + "]");
        }
    }

    private void observer(Node node, String path) {
        if (!(node instanceof Mapping mapping)) {
            problem(
                    node.line(),
                    path,
                    null,
                    "is " + node.kind() + ", not an observer",
                    "give it name, entity, on and actions keys");
            return;
        }
        int before = problems.size();
        unknownKeys(mapping, path, OBSERVER_KEYS);
        String name = requiredText(mapping, path, "name", "rental-returned");
        if (name != null && !NAME.matcher(name).matches()) {
            problem(
                    line(mapping, "name"),
                    path + ".name",
                    name,
                    "is not a valid observer name",
                    "use lower-case letters, digits, '.', '_' and '-', starting with a letter or"
                            + " digit");
        }
        String entity = requiredText(mapping, path, "entity", "public.rental");
        if (entity != null && !ENTITY.matcher(entity).matches()) {
            problem(
                    line(mapping, "entity"),
                    path + ".entity",
                    entity,
                    "is not schema.table",
                    "write the table with its schema, for example 'public." + entity + "'");
        }
        Set<Operation> operations = operations(mapping, path);
        Condition condition = condition(mapping, path);
        boolean enabled = enabled(mapping, path);
        List<ActionSpec> actions = actions(mapping, path);
        if (problems.size() == before) {
            observers.add(
                    new Observer(
                            name,
                            entity,
                            operations,
                            condition,
                            actions,
                            enabled,
                            file,
                            mapping.line()));
        }
    }

    private Set<Operation> operations(Mapping mapping, String path) {
        Entry on = mapping.entries().get("on");
        if (on == null) {
            problem(
                    mapping.line(),
                    path + ".on",
                    null,
                    "missing",
                    "list the operations to listen to, for example on: [update]");
            return Set.of();
        }
        List<Node> items =
                on.value() instanceof Sequence sequence ? sequence.items() : List.of(on.value());
        Set<Operation> operations = EnumSet.noneOf(Operation.class);
        for (Node item : items) {
            String op = item instanceof Scalar scalar ? scalar.text() : null;
            if (op == null || !OPERATIONS.contains(op.toLowerCase(Locale.ROOT))) {
                String written = op == null ? item.kind() : op;
                problem(
                        item.line(),
                        path + ".on",
                        written,
                        "is not an operation",
                        Suggestions.fix(op == null ? "" : aliasOf(op), OPERATIONS));
                continue;
            }
            operations.add(Operation.valueOf(op.toUpperCase(Locale.ROOT)));
        }
        if (items.isEmpty()) {
            problem(
                    on.line(),
                    path + ".on",
                    null,
                    "is empty",
                    "list the operations to listen to, for example on: [update]");
        }
        return operations;
    }

    /** People write SQL's names for operations; point them at ours. */
    private static String aliasOf(String op) {
        return switch (op.toLowerCase(Locale.ROOT)) {
            case "insert", "insert_", "inserted" -> "create";
            case "updated" -> "update";
            case "deleted", "remove" -> "delete";
            default -> op;
        };
    }

    private Condition condition(Mapping mapping, String path) {
        Entry when = mapping.entries().get("when");
        if (when == null) {
            return null;
        }
        if (!(when.value() instanceof Scalar scalar) || scalar.text() == null) {
            problem(
                    when.line(),
                    path + ".when",
                    null,
                    "is " + when.value().kind() + ", not a condition",
                    "write a CEL expression, for example when: after.status == 'shipped'");
            return null;
        }
        ConditionCompiler.Result result = compiler.compile(scalar.text());
        for (ConditionIssue issue : result.issues()) {
            int firstLine = blockScalar(scalar) ? scalar.line() + 1 : scalar.line();
            int line = issue.line() > 0 ? firstLine + issue.line() - 1 : firstLine;
            String where =
                    issue.column() > 0
                            ? " (line "
                                    + issue.line()
                                    + ", column "
                                    + issue.column()
                                    + " of the condition)"
                            : "";
            problem(
                    line,
                    path + ".when",
                    scalar.text(),
                    "invalid condition: " + issue.message() + where,
                    "fix the CEL expression; variables: op, entity, key, before, after, changed,"
                            + " source");
        }
        return result.condition();
    }

    /** True when the scalar is written as a '|' or '>' block: its text starts on the next line. */
    private boolean blockScalar(Scalar scalar) {
        int index = scalar.line() - 1;
        if (index < 0 || index >= lines.length) {
            return false;
        }
        String rest =
                lines[index].substring(
                        Math.min(lines[index].length(), Math.max(0, scalar.column() - 1)));
        return rest.stripLeading().startsWith("|") || rest.stripLeading().startsWith(">");
    }

    private boolean enabled(Mapping mapping, String path) {
        Entry enabled = mapping.entries().get("enabled");
        if (enabled == null) {
            return true;
        }
        if (enabled.value() instanceof Scalar scalar
                && ("true".equals(scalar.text()) || "false".equals(scalar.text()))
                && !scalar.string()) {
            return Boolean.parseBoolean(scalar.text());
        }
        problem(
                enabled.line(),
                path + ".enabled",
                valueText(enabled.value()),
                "is not true or false",
                "write enabled: false to switch the observer off, or remove the line");
        return true;
    }

    private List<ActionSpec> actions(Mapping mapping, String path) {
        Entry entry = mapping.entries().get("actions");
        if (entry == null) {
            problem(
                    mapping.line(),
                    path + ".actions",
                    null,
                    "missing",
                    "add at least one action, for example actions: [ { log: {} } ]");
            return List.of();
        }
        if (!(entry.value() instanceof Sequence sequence) || sequence.items().isEmpty()) {
            problem(
                    entry.line(),
                    path + ".actions",
                    null,
                    entry.value() instanceof Sequence
                            ? "is empty"
                            : "is " + entry.value().kind() + ", not a list",
                    "list at least one action, each as '- webhook: { url: ... }'");
            return List.of();
        }
        List<ActionSpec> actions = new ArrayList<>();
        for (int i = 0; i < sequence.items().size(); i++) {
            ActionSpec action = action(sequence.items().get(i), path + ".actions[" + i + "]");
            if (action != null) {
                actions.add(action);
            }
        }
        return actions;
    }

    private ActionSpec action(Node node, String path) {
        if (!(node instanceof Mapping mapping)) {
            problem(
                    node.line(),
                    path,
                    valueText(node),
                    "is not an action",
                    "write the action type as a key, for example '- webhook: { url: ... }'");
            return null;
        }
        List<Entry> types = new ArrayList<>();
        for (Entry entry : mapping.entries().values()) {
            if (entry.key().equals("retry")) {
                continue;
            }
            if (validators.find(entry.key()).isEmpty()) {
                problem(
                        entry.line(),
                        path + "." + entry.key(),
                        null,
                        "unknown action type",
                        Suggestions.fix(entry.key(), actionKeys()));
                return null;
            }
            types.add(entry);
        }
        if (types.size() != 1) {
            problem(
                    mapping.line(),
                    path,
                    null,
                    types.isEmpty()
                            ? "names no action type"
                            : "names " + types.size() + " action types",
                    "give each action exactly one of: " + String.join(", ", validators.types()));
            return null;
        }
        Entry type = types.get(0);
        Map<String, Object> options = options(type, path + "." + type.key());
        RetryPolicy retry = retry(mapping.entries().get("retry"), path + ".retry");
        if (options == null || retry == null) {
            return null;
        }
        ActionOptionsValidator validator = validators.find(type.key()).orElseThrow();
        for (String message : validator.validate(options)) {
            problem(type.line(), path + "." + type.key(), null, message, "");
        }
        return new ActionSpec(type.key(), options, retry);
    }

    /** What may stand in an action entry: a type, or its retry policy ('retyr' finds 'retry'). */
    private List<String> actionKeys() {
        List<String> keys = new ArrayList<>(validators.types());
        keys.add("retry");
        return keys;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> options(Entry type, String path) {
        Node value = type.value();
        if (value instanceof Scalar scalar && scalar.text() == null) {
            return Map.of();
        }
        if (!(value instanceof Mapping mapping)) {
            problem(
                    type.line(),
                    path,
                    null,
                    "is " + value.kind() + ", not the action's options",
                    "write the options as a map, for example " + type.key() + ": { ... }");
            return null;
        }
        int before = problems.size();
        Map<String, Object> options = (Map<String, Object>) expand(mapping, path);
        return problems.size() == before ? options : null;
    }

    /** The plain value of a node with {@code ${env:...}} expanded in every text. */
    private Object expand(Node node, String path) {
        if (node instanceof Mapping mapping) {
            Map<String, Object> out = new LinkedHashMap<>();
            mapping.entries()
                    .forEach((key, entry) -> out.put(key, expand(entry.value(), path + "." + key)));
            return out;
        }
        if (node instanceof Sequence sequence) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < sequence.items().size(); i++) {
                out.add(expand(sequence.items().get(i), path + "[" + i + "]"));
            }
            return out;
        }
        Scalar scalar = (Scalar) node;
        if (scalar.text() == null || !scalar.text().contains("${")) {
            return YamlTree.toJava(scalar);
        }
        EnvExpander.Result result = env.expand(scalar.text());
        for (EnvExpander.Malformed malformed : result.malformed()) {
            problem(
                    scalar.line(),
                    path,
                    null,
                    EnvExpander.malformedMessage(malformed),
                    malformed.fix());
        }
        if (!EnvExpander.hasReference(scalar.text())) {
            return YamlTree.toJava(scalar);
        }
        for (String name : result.unsetNames()) {
            problem(
                    scalar.line(),
                    path,
                    "${env:" + name + "}",
                    "environment variable " + name + " is not set",
                    "set "
                            + name
                            + " in the environment, or give a default: ${env:"
                            + name
                            + ":-value}");
        }
        return result.text();
    }

    private RetryPolicy retry(Entry entry, String path) {
        if (entry == null) {
            return RetryPolicy.DEFAULT;
        }
        if (!(entry.value() instanceof Mapping mapping)) {
            problem(
                    entry.line(),
                    path,
                    null,
                    "is " + entry.value().kind() + ", not a retry policy",
                    "write retry: { max_attempts: 8, initial_delay: 1s, multiplier: 2, max_delay:"
                            + " 10m, jitter: 0.2 }");
            return null;
        }
        int before = problems.size();
        unknownKeys(mapping, path, RETRY_KEYS);
        RetryPolicy d = RetryPolicy.DEFAULT;
        Number attempts = number(mapping, path, "max_attempts", d.maxAttempts(), true);
        Duration initial = duration(mapping, path, "initial_delay", d.initialDelay());
        Number multiplier = number(mapping, path, "multiplier", d.multiplier(), false);
        Duration max = duration(mapping, path, "max_delay", d.maxDelay());
        Number jitter = number(mapping, path, "jitter", d.jitter(), false);
        if (problems.size() != before) {
            return null;
        }
        try {
            return new RetryPolicy(
                    Math.toIntExact(attempts.longValue()),
                    initial,
                    multiplier.doubleValue(),
                    max,
                    jitter.doubleValue());
        } catch (IllegalArgumentException | ArithmeticException e) {
            problem(
                    entry.line(),
                    path,
                    null,
                    "invalid retry policy: " + e.getMessage(),
                    "use max_attempts >= 1, initial_delay > 0, multiplier >= 1, max_delay >="
                            + " initial_delay, jitter between 0 and 1");
            return null;
        }
    }

    private Number number(
            Mapping mapping, String path, String key, Number fallback, boolean integer) {
        Entry entry = mapping.entries().get(key);
        if (entry == null) {
            return fallback;
        }
        Object value = entry.value() instanceof Scalar s && !s.string() ? YamlTree.toJava(s) : null;
        boolean ok =
                integer ? value instanceof Long : value instanceof Long || value instanceof Double;
        if (!ok) {
            problem(
                    entry.line(),
                    path + "." + key,
                    valueText(entry.value()),
                    integer ? "is not a whole number" : "is not a number",
                    integer
                            ? "write a whole number, for example " + key + ": 8"
                            : "write a number, for example " + key + ": " + fallback);
            return Long.MIN_VALUE;
        }
        return (Number) value;
    }

    private Duration duration(Mapping mapping, String path, String key, Duration fallback) {
        Entry entry = mapping.entries().get(key);
        if (entry == null) {
            return fallback;
        }
        String text = entry.value() instanceof Scalar s ? s.text() : null;
        try {
            if (text == null) {
                throw new IllegalArgumentException("expected a duration");
            }
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            problem(
                    entry.line(),
                    path + "." + key,
                    valueText(entry.value()),
                    "is not a duration",
                    "write it like 500ms, 30s, 5m, 1h or 1d");
            return fallback;
        }
    }

    private String requiredText(Mapping mapping, String path, String key, String example) {
        Entry entry = mapping.entries().get(key);
        if (entry == null) {
            problem(
                    mapping.line(),
                    path + "." + key,
                    null,
                    "missing",
                    "add " + key + ": " + example);
            return null;
        }
        if (!(entry.value() instanceof Scalar scalar)
                || scalar.text() == null
                || scalar.text().isBlank()) {
            problem(
                    entry.line(),
                    path + "." + key,
                    null,
                    "is " + entry.value().kind() + ", not a text",
                    "write it as " + key + ": " + example);
            return null;
        }
        Object expanded = expand(scalar, path + "." + key);
        return String.valueOf(expanded);
    }

    private void unknownKeys(Mapping mapping, String path, List<String> known) {
        for (Entry entry : mapping.entries().values()) {
            if (!known.contains(entry.key())) {
                problem(
                        entry.line(),
                        join(path, entry.key()),
                        null,
                        "unknown key",
                        Suggestions.fix(entry.key(), known));
            }
        }
        for (Entry duplicate : mapping.duplicates()) {
            problem(
                    duplicate.line(),
                    join(path, duplicate.key()),
                    null,
                    "is given twice",
                    "keep one of the two lines");
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static int line(Mapping mapping, String key) {
        Entry entry = mapping.entries().get(key);
        return entry == null ? mapping.line() : entry.line();
    }

    private static String valueText(Node node) {
        return node instanceof Scalar scalar ? scalar.text() : null;
    }

    private void problem(int line, String path, String value, String message, String fix) {
        String shown =
                value != null && SECRET_KEY.matcher(path.toLowerCase(Locale.ROOT)).matches()
                        ? "[hidden]"
                        : value;
        problems.add(new Problem(file, Math.max(0, line), path, shown, message, fix));
    }
}
