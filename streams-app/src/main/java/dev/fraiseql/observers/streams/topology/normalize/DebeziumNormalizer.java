package dev.fraiseql.observers.streams.topology.normalize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fraiseql.observers.schemas.Operation;
import dev.fraiseql.observers.schemas.SourcePosition;
import dev.fraiseql.observers.streams.topology.CdcSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Debezium change records (Kafka Connect JSON with schemas, the embedded engine's JSON
 * format) into {@link NormalizedChange}s.
 *
 * <p>Records that are not row changes give an empty result: tombstones, heartbeats, transaction
 * BEGIN/END metadata and logical decoding messages ({@code op = m}). A record that claims to be a
 * row change but cannot be read throws {@link NormalizationException} naming the part at fault.
 *
 * <p>Source positions: for PostgreSQL the commit LSN is the first element of {@code
 * source.sequence} (absent for snapshot reads and for the first transaction after a start) and the
 * change LSN is {@code source.lsn}; for MySQL and MariaDB the binlog file, position and row.
 *
 * <p>Each distinct schema is parsed once ({@link ConnectJsonReader}); only the payload is parsed
 * per record.
 */
public final class DebeziumNormalizer {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final Set<String> NOT_CHANGES =
            Set.of(
                    "io.debezium.connector.common.Heartbeat",
                    "io.debezium.connector.common.TransactionMetadataValue",
                    "io.debezium.connector.common.TransactionMetadataKey",
                    "io.debezium.connector.postgresql.MessageValue");

    private final Map<String, CdcSource> sourcesByPrefix = new HashMap<>();
    private final Map<String, ConnectValues> valuesByPrefix = new HashMap<>();
    private final ConnectJsonReader reader = new ConnectJsonReader(MAPPER);

    /** A normalizer for the given connectors, matched to records by {@code source.name}. */
    public DebeziumNormalizer(List<CdcSource> sources) {
        for (CdcSource source : sources) {
            sourcesByPrefix.put(source.topicPrefix(), source);
            valuesByPrefix.put(
                    source.topicPrefix(), new ConnectValues(source.unavailablePlaceholder()));
        }
    }

    /**
     * Reads one record.
     *
     * @param keyBytes the Kafka key (Debezium's key struct as JSON), may be null
     * @param valueBytes the Kafka value, null for a tombstone
     * @return the change, or empty when the record is not a row change
     * @throws NormalizationException when the record cannot be read as a change
     */
    public Optional<NormalizedChange> normalize(byte[] keyBytes, byte[] valueBytes) {
        if (valueBytes == null) {
            return Optional.empty();
        }
        ConnectJsonReader.Envelope value = reader.read(valueBytes, "value");
        if (value.isNull()) {
            return Optional.empty();
        }
        JsonNode schema = value.schema();
        JsonNode payload = value.payload();
        if (!isObject(schema) || !isObject(payload)) {
            throw new NormalizationException(
                    "value is not Debezium JSON with schemas (no 'schema' and 'payload' objects);"
                            + " set value.converter.schemas.enable=true on the connector");
        }
        if (NOT_CHANGES.contains(schema.path("name").asText())
                || "m".equals(payload.path("op").asText())) {
            return Optional.empty();
        }
        return Optional.of(readEnvelope(schema, payload, keyBytes));
    }

    private NormalizedChange readEnvelope(JsonNode schema, JsonNode payload, byte[] keyBytes) {
        JsonNode source = payload.path("source");
        if (!source.isObject()) {
            throw new NormalizationException(
                    "value has no 'source' block; it is not a Debezium change envelope");
        }
        String prefix = source.path("name").asText("");
        CdcSource cdc = sourcesByPrefix.get(prefix);
        if (cdc == null) {
            throw new NormalizationException(
                    "source.name '"
                            + prefix
                            + "' matches no configured connector topic prefix "
                            + sourcesByPrefix.keySet());
        }
        ConnectValues values = valuesByPrefix.get(prefix);

        Operation op = operation(payload.path("op").asText(""));
        Set<String> placeholderBefore = new HashSet<>();
        Set<String> placeholderAfter = new HashSet<>();
        Map<String, Object> before =
                row(
                        values,
                        fieldSchema(schema, "before"),
                        payload.path("before"),
                        "before",
                        placeholderBefore);
        Map<String, Object> after =
                row(
                        values,
                        fieldSchema(schema, "after"),
                        payload.path("after"),
                        "after",
                        placeholderAfter);
        Map<String, Object> key = key(values, keyBytes);

        return new NormalizedChange(
                cdc.connector(),
                entity(source),
                op,
                key,
                before,
                after,
                placeholderBefore,
                placeholderAfter,
                position(source),
                micros(source, "commit time"),
                micros(payload, "capture time"));
    }

    private static Operation operation(String code) {
        return switch (code) {
            case "c" -> Operation.CREATE;
            case "u" -> Operation.UPDATE;
            case "d" -> Operation.DELETE;
            case "t" -> Operation.TRUNCATE;
            case "r" -> Operation.READ;
            default ->
                    throw new NormalizationException(
                            "payload.op '" + code + "' is not one of c, u, d, t, r");
        };
    }

    private Map<String, Object> key(ConnectValues values, byte[] keyBytes) {
        if (keyBytes == null) {
            return new LinkedHashMap<>();
        }
        ConnectJsonReader.Envelope key = reader.read(keyBytes, "key");
        if (key.isNull()) {
            return new LinkedHashMap<>();
        }
        if (!isObject(key.schema()) || !isObject(key.payload())) {
            throw new NormalizationException(
                    "key is not Debezium JSON with schemas; set key.converter.schemas.enable=true");
        }
        return row(values, key.schema(), key.payload(), "key", new HashSet<>());
    }

    private static Map<String, Object> row(
            ConnectValues values,
            JsonNode structSchema,
            JsonNode struct,
            String part,
            Set<String> placeholders) {
        if (struct == null || struct.isMissingNode() || struct.isNull()) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (JsonNode field : structSchema.path("fields")) {
            String name = field.path("field").asText();
            Object converted = values.convert(field, struct.get(name), part + "." + name);
            if (converted == NormalizedChange.UNAVAILABLE) {
                placeholders.add(name);
            }
            out.put(name, converted);
        }
        return out;
    }

    private static JsonNode fieldSchema(JsonNode envelopeSchema, String name) {
        for (JsonNode field : envelopeSchema.path("fields")) {
            if (name.equals(field.path("field").asText())) {
                return field;
            }
        }
        throw new NormalizationException(
                "envelope schema '"
                        + envelopeSchema.path("name").asText()
                        + "' has no '"
                        + name
                        + "' field");
    }

    private static String entity(JsonNode source) {
        String table = source.path("table").asText("");
        String schema = source.path("schema").asText("");
        String container = schema.isEmpty() ? source.path("db").asText("") : schema;
        if (table.isEmpty() || container.isEmpty()) {
            throw new NormalizationException(
                    "source block names no table (source.schema/db and source.table are empty)");
        }
        return container + "." + table;
    }

    private static SourcePosition position(JsonNode source) {
        String connectorType = source.path("connector").asText("");
        SourcePosition.Builder position =
                SourcePosition.newBuilder()
                        .setConnectorType(connectorType)
                        .setDatabase(text(source, "db"))
                        .setSnapshot(isSnapshot(source.path("snapshot").asText("false")));
        if ("postgresql".equals(connectorType)) {
            position.setTxId(text(source, "txId"));
            position.setChangeLsn(number(source, "lsn"));
            position.setCommitLsn(commitLsn(source.path("sequence").asText(null)));
            if (position.getChangeLsn() == null) {
                throw new NormalizationException("PostgreSQL source block has no 'lsn'");
            }
        } else if ("mysql".equals(connectorType) || "mariadb".equals(connectorType)) {
            position.setTxId(text(source, "gtid"));
            position.setBinlogFile(text(source, "file"));
            position.setBinlogPosition(number(source, "pos"));
            Long row = number(source, "row");
            position.setBinlogRow(row == null ? null : Math.toIntExact(row));
            if (position.getBinlogFile() == null || position.getBinlogPosition() == null) {
                throw new NormalizationException(
                        connectorType + " source block has no binlog 'file' and 'pos'");
            }
        } else {
            throw new NormalizationException(
                    "source.connector '"
                            + connectorType
                            + "' is not supported; supported are postgresql, mysql, mariadb");
        }
        return position.build();
    }

    private static boolean isSnapshot(String snapshot) {
        // Debezium writes true/first/last/first_in_data_collection/..., or false when streaming.
        return !"false".equals(snapshot) && !snapshot.isEmpty();
    }

    private static Long commitLsn(String sequence) {
        if (sequence == null) {
            return null;
        }
        JsonNode parsed;
        try {
            parsed = MAPPER.readTree(sequence);
        } catch (JsonProcessingException e) {
            throw new NormalizationException(
                    "source.sequence '" + sequence + "' is not a JSON array", e);
        }
        JsonNode first = parsed.path(0);
        return first.isMissingNode() || first.isNull() ? null : Long.parseLong(first.asText());
    }

    private static long micros(JsonNode block, String what) {
        if (block.path("ts_us").isNumber()) {
            return block.path("ts_us").asLong();
        }
        if (block.path("ts_ms").isNumber()) {
            return block.path("ts_ms").asLong() * 1_000L;
        }
        throw new NormalizationException("no ts_us or ts_ms for the " + what);
    }

    private static String text(JsonNode block, String field) {
        JsonNode node = block.path(field);
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    private static Long number(JsonNode block, String field) {
        JsonNode node = block.path(field);
        return node.isNumber() ? node.asLong() : null;
    }

    private static boolean isObject(JsonNode node) {
        return node != null && node.isObject();
    }
}
