package dev.fraiseql.observers.core.config.connector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One connector file, validated: which database to read, which tables, and how Debezium is set up.
 *
 * <p>{@link #engineProperties()} turns it into the Debezium connector properties, with the
 * product's defaults underneath and the file's {@code debezium:} map on top. Offset storage and
 * schema history are not part of it: the process that runs the connector owns those, because they
 * depend on its Kafka cluster, not on the database.
 *
 * <p>Printing this record masks the password and every pass-through property whose name says it is
 * a secret ({@code password}, {@code secret}, {@code token}, {@code credential}, {@code jaas}).
 *
 * @param file the file it was read from, relative to the config folder ({@code
 *     connectors/pagila.yaml})
 * @param name the connector name, unique in the folder
 * @param type the database kind and Debezium connector class
 * @param database address and credentials
 * @param tables the captured tables as {@code schema.table} (PostgreSQL) or {@code database.table}
 *     (MySQL, MariaDB); empty means every table
 * @param snapshotMode Debezium's {@code snapshot.mode}
 * @param topicPrefix the first part of every topic name: {@code <prefix>.<schema>.<table>}
 * @param debezium extra Debezium properties, applied last
 */
public record ConnectorConfig(
        String file,
        String name,
        ConnectorType type,
        DatabaseSettings database,
        List<String> tables,
        String snapshotMode,
        String topicPrefix,
        Map<String, String> debezium) {

    /** The heartbeat interval the product sets unless the file overrides it. */
    public static final String DEFAULT_HEARTBEAT_INTERVAL_MS = "10000";

    private static final Pattern SECRET_KEY =
            Pattern.compile(".*(password|secret|token|credential|jaas).*");

    public ConnectorConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(snapshotMode, "snapshotMode");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        tables = List.copyOf(tables);
        debezium = Map.copyOf(debezium);
    }

    /** True when a property name says its value is a secret, so it is shown as {@code [hidden]}. */
    public static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).matches();
    }

    /** The replication slot name the product derives for a PostgreSQL connector. */
    public String slotName() {
        return "observers_" + name.replaceAll("[^a-z0-9_]", "_");
    }

    /** The publication name the product derives for a PostgreSQL connector. */
    public String publicationName() {
        return slotName();
    }

    /**
     * The Debezium connector properties: the product's defaults, then the file's settings, then the
     * {@code debezium:} map. Contains the password in clear: hand it to the engine only.
     */
    public Map<String, String> engineProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("name", name);
        properties.put("connector.class", type.connectorClass());
        properties.put("topic.prefix", topicPrefix);
        properties.put("database.hostname", database.host());
        properties.put("database.port", Integer.toString(database.port()));
        properties.put("database.user", database.user());
        properties.put("database.password", database.password().reveal());
        properties.put("snapshot.mode", snapshotMode);
        properties.put("heartbeat.interval.ms", DEFAULT_HEARTBEAT_INTERVAL_MS);
        if (!tables.isEmpty()) {
            properties.put("table.include.list", includeList(tables));
        }

        switch (type.kind()) {
            case POSTGRES -> addPostgresDefaults(properties);
            case MYSQL, MARIADB -> addBinlogDefaults(properties);
            case OTHER -> properties.put("database.dbname", database.name());
        }

        properties.putAll(debezium);
        return properties;
    }

    /** {@link #engineProperties()} with every secret replaced by {@code [hidden]}, for logs. */
    public Map<String, String> maskedEngineProperties() {
        Map<String, String> masked = new LinkedHashMap<>();
        engineProperties()
                .forEach((key, value) -> masked.put(key, isSecretKey(key) ? Secret.MASK : value));
        return masked;
    }

    @Override
    public String toString() {
        String extra =
                debezium.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(
                                e ->
                                        e.getKey()
                                                + "="
                                                + (isSecretKey(e.getKey())
                                                        ? Secret.MASK
                                                        : e.getValue()))
                        .collect(Collectors.joining(", ", "{", "}"));
        return "ConnectorConfig[file="
                + file
                + ", name="
                + name
                + ", type="
                + type.name()
                + ", database="
                + database
                + ", tables="
                + tables
                + ", snapshotMode="
                + snapshotMode
                + ", topicPrefix="
                + topicPrefix
                + ", debezium="
                + extra
                + "]";
    }

    private void addPostgresDefaults(Map<String, String> properties) {
        properties.put("database.dbname", database.name());
        properties.put("plugin.name", "pgoutput");
        properties.put("slot.name", slotName());
        properties.put("publication.name", publicationName());
        properties.put("publication.autocreate.mode", "filtered");
        // Debezium creates the publication WITH (publish_via_partition_root = true), so a change
        // to a partition (payment_p2022_01) is reported under its parent table (payment), the
        // table users list. Without it such changes would carry the partition's name and be
        // filtered out.
        properties.put("publish.via.partition.root", "true");
    }

    private void addBinlogDefaults(Map<String, String> properties) {
        if (!database.name().isEmpty()) {
            properties.put("database.include.list", Pattern.quote(database.name()));
        }
        // A binlog reader registers as a replica and needs an id no other replica uses; derive it
        // from the name so it is stable across restarts (the default is random).
        properties.put("database.server.id", Long.toString(serverId()));
    }

    private long serverId() {
        return 100_000L + Math.floorMod(name.hashCode(), 1_000_000);
    }

    private static String includeList(List<String> tables) {
        // Debezium reads each entry as a regular expression: escape the dots so that
        // public.payment does not also match public_payment.
        return tables.stream().map(t -> t.replace(".", "\\.")).collect(Collectors.joining(","));
    }
}
