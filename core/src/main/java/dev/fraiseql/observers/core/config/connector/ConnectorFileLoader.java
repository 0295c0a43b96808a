package dev.fraiseql.observers.core.config.connector;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fraiseql.observers.core.config.ConfigException;
import dev.fraiseql.observers.core.config.ConfigFiles;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.Problem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates connector files: one YAML file per connector in the {@code connectors/}
 * folder of the config directory.
 *
 * <pre>{@code
 * name: pagila                       # lower-case letters, digits, '-', '_'
 * type: postgres                     # postgres, mysql, mariadb, or a Debezium connector class
 * database:
 *   host: db.internal
 *   port: 5432                       # default 5432 (PostgreSQL) or 3306 (MySQL, MariaDB)
 *   name: pagila                     # required for PostgreSQL
 *   user: cdc
 *   password: ${env:PAGILA_PASSWORD} # never logged
 * tables: [public.rental, public.payment]   # empty or absent: every table
 * snapshot_mode: initial             # Debezium's snapshot.mode, default initial
 * topic_prefix: pagila               # default: the connector name
 * debezium:                          # any other Debezium property, applied last
 *   heartbeat.interval.ms: 5000
 * }</pre>
 *
 * <p>{@code ${env:NAME}} and {@code ${env:NAME:-default}} are expanded in every value. Validation
 * collects every problem of a file before it throws one {@link ConfigException}; each problem names
 * the file, the line, the key, the value (masked when secret) and how to fix it.
 */
public final class ConnectorFileLoader {
    static final List<String> TOP_KEYS =
            List.of(
                    "name",
                    "type",
                    "database",
                    "tables",
                    "snapshot_mode",
                    "topic_prefix",
                    "debezium");
    static final List<String> DATABASE_KEYS = List.of("host", "port", "name", "user", "password");

    static final List<String> POSTGRES_SNAPSHOT_MODES =
            List.of(
                    "initial",
                    "always",
                    "initial_only",
                    "no_data",
                    "never",
                    "when_needed",
                    "recovery",
                    "configuration_based",
                    "custom");
    static final List<String> BINLOG_SNAPSHOT_MODES =
            List.of(
                    "initial",
                    "always",
                    "initial_only",
                    "no_data",
                    "never",
                    "when_needed",
                    "recovery",
                    "schema_only_recovery",
                    "configuration_based",
                    "custom");

    /** Debezium properties the file sets elsewhere, or that the running process owns. */
    private static final Map<String, String> MANAGED_PROPERTIES = managedProperties();

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,47}");
    private static final Pattern TOPIC_PREFIX = Pattern.compile("[a-zA-Z0-9._-]{1,200}");
    private static final Pattern TABLE = Pattern.compile("[^.\\s]+\\.[^.\\s]+");

    private final EnvExpander env;
    private final ObjectMapper mapper;

    /** A loader that expands {@code ${env:...}} with the given expander. */
    public ConnectorFileLoader(EnvExpander env) {
        this.env = Objects.requireNonNull(env, "env");
        YAMLFactory factory = new YAMLFactory();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.mapper = new ObjectMapper(factory);
    }

    /**
     * Loads one connector file. The file is named in problems as {@code <folder>/<file>}, for
     * example {@code connectors/pagila.yaml}.
     *
     * @throws ConfigException with every problem of the file, including an unreadable file
     */
    public ConnectorConfig load(Path file) {
        String label = label(file);
        String text = ConfigFiles.read(file, label);
        return parse(label, text);
    }

    /** Parses connector file text; {@code file} is how problems name it. */
    public ConnectorConfig parse(String file, String text) {
        Reader reader = new Reader(file, text);
        ConnectorConfig config = reader.read();
        if (!reader.problems.isEmpty()) {
            throw new ConfigException(reader.problems);
        }
        return config;
    }

    private static String label(Path file) {
        Path parent = file.getParent();
        Path folder = parent == null ? null : parent.getFileName();
        return folder == null ? file.getFileName().toString() : folder + "/" + file.getFileName();
    }

    private static Map<String, String> managedProperties() {
        Map<String, String> managed = new LinkedHashMap<>();
        managed.put("connector.class", "set 'type' instead");
        managed.put("name", "set 'name' instead");
        managed.put("topic.prefix", "set 'topic_prefix' instead");
        managed.put("database.hostname", "set 'database.host' instead");
        managed.put("database.port", "set 'database.port' instead");
        managed.put("database.user", "set 'database.user' instead");
        managed.put("database.password", "set 'database.password' instead");
        managed.put("database.dbname", "set 'database.name' instead");
        managed.put("table.include.list", "set 'tables' instead");
        managed.put("snapshot.mode", "set 'snapshot_mode' instead");
        managed.put("offset.storage", "remove it: the process stores offsets in a Kafka topic");
        managed.put("schema.history.internal", "remove it: the process keeps it in a Kafka topic");
        return managed;
    }

    /** One pass over one file; collects problems instead of stopping at the first. */
    private final class Reader {
        private final String file;
        private final String text;
        private final List<Problem> problems = new ArrayList<>();
        private final Map<String, Integer> lines = new HashMap<>();

        Reader(String file, String text) {
            this.file = file;
            this.text = text;
        }

        ConnectorConfig read() {
            if (text.isBlank()) {
                add(
                        "",
                        null,
                        "the file is empty",
                        "write the connector in it: name, type, database and tables (see the"
                                + " example in the README), or delete the file");
                return null;
            }
            JsonNode root;
            try {
                root = mapper.readTree(text);
                indexLines();
            } catch (JsonProcessingException e) {
                JsonLocation location = e.getLocation();
                int line = location == null ? 0 : Math.max(0, location.getLineNr());
                problems.add(
                        new Problem(
                                file,
                                line,
                                "",
                                null,
                                "not valid YAML: " + e.getOriginalMessage(),
                                "fix the YAML syntax at this line"));
                return null;
            }
            if (root == null || !root.isObject()) {
                add(
                        "",
                        null,
                        "the file must be a mapping of connector settings",
                        "start with 'name: <connector name>' and 'type: postgres'");
                return null;
            }

            checkKeys(root, "", TOP_KEYS);
            String name = requiredText(root, "name");
            checkName(name);
            ConnectorType type = readType(root);
            DatabaseSettings database = readDatabase(root, type);
            List<String> tables = readTables(root);
            String snapshotMode = readSnapshotMode(root, type);
            String topicPrefix = readTopicPrefix(root, name);
            Map<String, String> debezium = readDebezium(root);

            if (!problems.isEmpty()) {
                return null;
            }
            return new ConnectorConfig(
                    file, name, type, database, tables, snapshotMode, topicPrefix, debezium);
        }

        private void checkName(String name) {
            if (name != null && !NAME.matcher(name).matches()) {
                add(
                        "name",
                        name,
                        "a connector name must be 1 to 48 lower-case letters, digits, '-' or '_',"
                                + " starting with a letter",
                        "rename it, for example 'pagila' or 'orders-db'");
            }
        }

        private ConnectorType readType(JsonNode root) {
            String text = requiredText(root, "type");
            if (text == null) {
                return null;
            }
            return ConnectorType.parse(text)
                    .orElseGet(
                            () -> {
                                add("type", text, "unknown connector type", unknownTypeFix(text));
                                return null;
                            });
        }

        private DatabaseSettings readDatabase(JsonNode root, ConnectorType type) {
            JsonNode node = root.get("database");
            if (node == null || node.isNull()) {
                add(
                        "database",
                        null,
                        "is required",
                        "add a 'database:' section with host, port, name, user and password");
                return null;
            }
            if (!node.isObject()) {
                add(
                        "database",
                        node.asText(),
                        "must be a mapping",
                        "write host, port, name, user and password under 'database:'");
                return null;
            }
            checkKeys(node, "database", DATABASE_KEYS);

            String host = requiredText(node, "database.host");
            Integer port = readPort(node, type);
            boolean nameRequired = type != null && type.kind() == ConnectorType.Kind.POSTGRES;
            String name =
                    nameRequired
                            ? requiredText(node, "database.name")
                            : optionalText(node, "database.name");
            String user = requiredText(node, "database.user");
            String password = optionalText(node, "database.password");

            if (host == null || port == null || user == null || (nameRequired && name == null)) {
                return null;
            }
            return new DatabaseSettings(
                    host,
                    port,
                    name == null ? "" : name,
                    user,
                    Secret.of(password == null ? "" : password));
        }

        private Integer readPort(JsonNode database, ConnectorType type) {
            String text = optionalText(database, "database.port");
            if (text == null) {
                if (type == null) {
                    return null;
                }
                return type.kind() == ConnectorType.Kind.POSTGRES ? 5432 : 3306;
            }
            try {
                int port = Integer.parseInt(text.trim());
                if (port >= 1 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below, with the other range errors
            }
            add(
                    "database.port",
                    text,
                    "must be a whole number from 1 to 65535",
                    "write the database's TCP port, for example 5432");
            return null;
        }

        private List<String> readTables(JsonNode root) {
            JsonNode node = root.get("tables");
            if (node == null || node.isNull()) {
                return List.of();
            }
            if (!node.isArray()) {
                add(
                        "tables",
                        node.asText(),
                        "must be a list of tables",
                        "write it as [schema.table, ...] or one '- schema.table' per line");
                return List.of();
            }
            List<String> tables = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < node.size(); i++) {
                String path = "tables[" + i + "]";
                String table = scalar(node.get(i), path);
                if (table == null) {
                    continue;
                }
                if (!TABLE.matcher(table).matches()) {
                    add(
                            path,
                            table,
                            "a table must be written as schema.table (or database.table for"
                                    + " MySQL and MariaDB)",
                            "write it with its schema, for example 'public." + table + "'");
                } else if (!seen.add(table)) {
                    add(path, table, "this table is listed twice", "remove the repeated entry");
                } else {
                    tables.add(table);
                }
            }
            return tables;
        }

        private String readSnapshotMode(JsonNode root, ConnectorType type) {
            String mode = optionalText(root, "snapshot_mode");
            if (mode == null) {
                return "initial";
            }
            if (type == null || type.kind() == ConnectorType.Kind.OTHER) {
                return mode;
            }
            List<String> known =
                    type.kind() == ConnectorType.Kind.POSTGRES
                            ? POSTGRES_SNAPSHOT_MODES
                            : BINLOG_SNAPSHOT_MODES;
            if (!known.contains(mode)) {
                add(
                        "snapshot_mode",
                        mode,
                        "unknown snapshot mode for a " + type.name() + " connector",
                        Suggestions.hint(mode, known));
            }
            return mode;
        }

        private String readTopicPrefix(JsonNode root, String name) {
            String prefix = optionalText(root, "topic_prefix");
            if (prefix == null) {
                return name;
            }
            if (!TOPIC_PREFIX.matcher(prefix).matches()) {
                add(
                        "topic_prefix",
                        prefix,
                        "a topic prefix may contain only letters, digits, '.', '_' and '-'",
                        "choose a prefix such as 'pagila' or 'shop.orders'");
            }
            return prefix;
        }

        private Map<String, String> readDebezium(JsonNode root) {
            JsonNode node = root.get("debezium");
            if (node == null || node.isNull()) {
                return Map.of();
            }
            if (!node.isObject()) {
                add(
                        "debezium",
                        node.asText(),
                        "must be a mapping of Debezium properties",
                        "write one 'property.name: value' per line under 'debezium:'");
                return Map.of();
            }
            Map<String, String> properties = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String key = entry.getKey();
                String path = "debezium." + key;
                String value = scalar(entry.getValue(), path);
                String managed = managedHint(key);
                if (managed != null) {
                    add(path, mask(key, value), "is set by the product", managed);
                } else if (value != null) {
                    properties.put(key, value);
                }
            }
            return properties;
        }

        private String managedHint(String key) {
            for (Map.Entry<String, String> managed : MANAGED_PROPERTIES.entrySet()) {
                if (key.equals(managed.getKey()) || key.startsWith(managed.getKey() + ".")) {
                    return managed.getValue();
                }
            }
            return null;
        }

        private void checkKeys(JsonNode node, String parent, List<String> known) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!known.contains(key)) {
                    String path = parent.isEmpty() ? key : parent + "." + key;
                    add(path, null, "unknown key '" + key + "'", Suggestions.hint(key, known));
                }
            }
        }

        private String requiredText(JsonNode parent, String path) {
            String value = optionalText(parent, path);
            if (value == null || value.isBlank()) {
                if (value == null
                        && parent.get(leaf(path)) != null
                        && !parent.get(leaf(path)).isNull()) {
                    return null; // a wrong shape was already reported
                }
                add(path, null, "is required", "add '" + leaf(path) + ": <value>'");
                return null;
            }
            return value;
        }

        private String optionalText(JsonNode parent, String path) {
            JsonNode node = parent.get(leaf(path));
            if (node == null || node.isNull()) {
                return null;
            }
            return scalar(node, path);
        }

        /** The expanded text of a scalar; reports maps, lists and unset variables. */
        private String scalar(JsonNode node, String path) {
            if (node == null || node.isNull()) {
                add(path, null, "is empty", "give it a value or remove the line");
                return null;
            }
            if (node.isContainerNode()) {
                add(
                        path,
                        null,
                        "must be a single value, not a " + (node.isArray() ? "list" : "mapping"),
                        "write it on one line as 'key: value'");
                return null;
            }
            EnvExpander.Result expanded = env.expand(node.asText());
            for (String unset : expanded.unsetNames()) {
                add(
                        path,
                        null,
                        "refers to environment variable '" + unset + "', which is not set",
                        "set " + unset + " or write ${env:" + unset + ":-<default>}");
            }
            for (EnvExpander.Malformed malformed : expanded.malformed()) {
                add(path, null, EnvExpander.malformedMessage(malformed), malformed.fix());
            }
            return expanded.unsetNames().isEmpty() && expanded.malformed().isEmpty()
                    ? expanded.text()
                    : null;
        }

        private void add(String path, String value, String message, String fix) {
            String shown = path.endsWith("password") && value != null ? Secret.MASK : value;
            problems.add(new Problem(file, lineOf(path), path, shown, message, fix));
        }

        /** The line of the key, or of its parent section when the key itself is missing. */
        private int lineOf(String path) {
            String current = path;
            while (!current.isEmpty()) {
                Integer line = lines.get(current);
                if (line != null) {
                    return line;
                }
                int dot = current.lastIndexOf('.');
                current = dot < 0 ? "" : current.substring(0, dot);
            }
            return 0;
        }

        /** Remembers the line of every key and list entry, by the paths problems use. */
        private void indexLines() throws JsonProcessingException {
            try (JsonParser parser = mapper.getFactory().createParser(text)) {
                List<String> stack = new ArrayList<>();
                List<Integer> indexes = new ArrayList<>();
                String pendingKey = null;
                JsonToken token;
                while ((token = parser.nextToken()) != null) {
                    int line = parser.currentTokenLocation().getLineNr();
                    if (token == JsonToken.FIELD_NAME) {
                        pendingKey = parser.currentName();
                        lines.putIfAbsent(join(stack, pendingKey), line);
                        continue;
                    }
                    String segment = segment(stack, indexes, pendingKey);
                    pendingKey = null;
                    if (segment != null && !segment.startsWith("[")) {
                        // recorded at its FIELD_NAME already
                    } else if (segment != null) {
                        lines.putIfAbsent(join(stack, segment), line);
                    }
                    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                        stack.add(segment);
                        indexes.add(token == JsonToken.START_ARRAY ? 0 : -1);
                    } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                        stack.remove(stack.size() - 1);
                        indexes.remove(indexes.size() - 1);
                    }
                }
            } catch (JsonProcessingException e) {
                throw e;
            } catch (IOException e) {
                throw new IllegalStateException("reading YAML from a string failed", e);
            }
        }

        private String segment(List<String> stack, List<Integer> indexes, String pendingKey) {
            if (pendingKey != null) {
                return pendingKey;
            }
            if (indexes.isEmpty()) {
                return null;
            }
            int last = indexes.size() - 1;
            int index = indexes.get(last);
            if (index < 0) {
                return null;
            }
            indexes.set(last, index + 1);
            return "[" + index + "]";
        }

        private String join(List<String> stack, String leaf) {
            StringBuilder path = new StringBuilder();
            for (String segment : stack) {
                append(path, segment);
            }
            append(path, leaf);
            return path.toString();
        }

        private void append(StringBuilder path, String segment) {
            if (segment == null) {
                return;
            }
            if (path.length() > 0 && !segment.startsWith("[")) {
                path.append('.');
            }
            path.append(segment);
        }
    }

    /** The nearest short name when there is one, then always every supported type. */
    private static String unknownTypeFix(String text) {
        String nearest =
                Suggestions.closest(text, ConnectorType.SHORT_NAMES)
                        .map(c -> "did you mean '" + c + "'? ")
                        .orElse("");
        return nearest
                + "use one of: "
                + String.join(", ", ConnectorType.SHORT_NAMES)
                + ", or a Debezium connector class in full (such as"
                + " io.debezium.connector.postgresql.PostgresConnector)";
    }

    private static String leaf(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static String mask(String key, String value) {
        return value != null && ConnectorConfig.isSecretKey(key) ? Secret.MASK : value;
    }
}
