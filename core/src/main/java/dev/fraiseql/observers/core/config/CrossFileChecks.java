package dev.fraiseql.observers.core.config;

import dev.fraiseql.observers.core.config.connector.ConnectorConfig;
import dev.fraiseql.observers.core.config.connector.ConnectorType;
import dev.fraiseql.observers.core.observer.Observer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks that need more than one file: each file can be valid alone and the folder still wrong.
 *
 * <ul>
 *   <li>two connector files with one connector name (an error: the name is the replication slot,
 *       the offsets key and the schema history topic, so the second would fight the first);
 *   <li>a connector type whose Debezium connector class is not installed (an error: the connector
 *       would fail when it starts);
 *   <li>an observer whose entity no connector captures, when every connector lists its tables (a
 *       warning: the observer would never fire, but the table may be captured by a connector that
 *       runs elsewhere).
 * </ul>
 */
final class CrossFileChecks {
    private CrossFileChecks() {}

    /**
     * An error for every connector file whose name an earlier file (in name order) already uses.
     */
    static List<Problem> duplicateConnectorNames(Path root, List<ConnectorConfig> connectors) {
        Map<String, ConnectorConfig> first = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (ConnectorConfig connector : sortedByFile(connectors)) {
            ConnectorConfig earlier = first.putIfAbsent(connector.name(), connector);
            if (earlier != null) {
                problems.add(
                        new Problem(
                                connector.file(),
                                lineOfKey(root, connector.file(), "name"),
                                "name",
                                connector.name(),
                                "connector name already used by " + earlier.file(),
                                "give each connector file its own name: the name keys the"
                                        + " connector's offsets and its replication slot"));
            }
        }
        return problems;
    }

    /**
     * An error for every connector whose Debezium class is not installed; the fix lists the types
     * that are.
     */
    static List<Problem> uninstalledConnectorTypes(
            Path root, List<ConnectorConfig> connectors, Predicate<String> installed) {
        List<String> usable =
                ConnectorType.SHORT_NAMES.stream()
                        .filter(
                                name ->
                                        installed.test(
                                                ConnectorType.parse(name)
                                                        .orElseThrow()
                                                        .connectorClass()))
                        .toList();
        List<Problem> problems = new ArrayList<>();
        for (ConnectorConfig connector : sortedByFile(connectors)) {
            ConnectorType type = connector.type();
            if (installed.test(type.connectorClass())) {
                continue;
            }
            boolean shortName = !type.name().equals(type.connectorClass());
            String message =
                    shortName
                            ? "needs Debezium's connector class "
                                    + type.connectorClass()
                                    + ", which is not on the classpath of this installation"
                            : "is not a Debezium connector class on the classpath of this"
                                    + " installation";
            String fix =
                    "use one of the installed types: "
                            + String.join(", ", usable)
                            + (shortName
                                    ? "; or add the connector's jar to the classpath"
                                    : closestClass(type.name(), usable)
                                            .map(c -> "; did you mean " + c + "?")
                                            .orElse(
                                                    "; or add the connector's jar to the"
                                                            + " classpath"));
            int line = lineOfKey(root, connector.file(), "type");
            problems.add(new Problem(connector.file(), line, "type", type.name(), message, fix));
        }
        return problems;
    }

    /**
     * A warning for every observer whose entity no connector lists, as long as every connector
     * lists its tables: a connector without a list captures every table, and then nothing can be
     * said. Without connector files the tables are captured elsewhere, so nothing is said either.
     */
    static List<Problem> uncapturedEntities(
            List<ConnectorConfig> connectors, List<Observer> observers) {
        if (connectors.isEmpty() || connectors.stream().anyMatch(c -> c.tables().isEmpty())) {
            return List.of();
        }
        List<ConnectorConfig> sorted = sortedByFile(connectors);
        List<String> tables = new ArrayList<>();
        sorted.forEach(c -> tables.addAll(c.tables()));
        String lists =
                sorted.stream()
                        .map(c -> c.file() + ": [" + String.join(", ", c.tables()) + "]")
                        .collect(Collectors.joining("; "));
        List<Problem> warnings = new ArrayList<>();
        for (Observer observer : observers) {
            // Debezium matches include lists without regard to case, so 'Public.Rental' is
            // captured by 'public.rental'.
            boolean captured = tables.stream().anyMatch(t -> t.equalsIgnoreCase(observer.entity()));
            if (captured) {
                continue;
            }
            String nearest =
                    tables.stream()
                            .min(Comparator.comparingInt(t -> distance(t, observer.entity())))
                            .filter(t -> distance(t, observer.entity()) <= 2)
                            .map(t -> "did you mean " + t + "? ")
                            .orElse("");
            warnings.add(
                    new Problem(
                            observer.file(),
                            observer.line(),
                            "entity",
                            observer.entity(),
                            "observer '"
                                    + observer.name()
                                    + "' watches a table that no connector"
                                    + " captures ("
                                    + lists
                                    + ")",
                            nearest
                                    + "add "
                                    + observer.entity()
                                    + " to the tables of a"
                                    + " connector, or correct the entity"));
        }
        return warnings;
    }

    private static Optional<String> closestClass(String written, List<String> usable) {
        return usable.stream()
                .map(name -> ConnectorType.parse(name).orElseThrow().connectorClass())
                .filter(c -> distance(c, written) <= 3)
                .min(Comparator.comparingInt(c -> distance(c, written)));
    }

    /**
     * The line of a top-level key in a file under {@code root}, or 0 when it cannot be found. The
     * loaded record does not keep lines, and the file was valid a moment ago, so a plain scan for
     * {@code key:} at the start of a line finds it.
     */
    private static int lineOfKey(Path root, String file, String key) {
        Pattern pattern = Pattern.compile("^" + Pattern.quote(key) + "\\s*:");
        try {
            List<String> lines = Files.readAllLines(root.resolve(file), StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (pattern.matcher(lines.get(i)).find()) {
                    return i + 1;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Changed or removed since it was loaded: the problem is still right without a line.
        }
        return 0;
    }

    private static int distance(String a, String b) {
        return EditDistance.between(a.toLowerCase(Locale.ROOT), b.toLowerCase(Locale.ROOT));
    }

    private static List<ConnectorConfig> sortedByFile(List<ConnectorConfig> connectors) {
        return connectors.stream().sorted(Comparator.comparing(ConnectorConfig::file)).toList();
    }
}
