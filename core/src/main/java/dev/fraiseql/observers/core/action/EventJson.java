package dev.fraiseql.observers.core.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.SourcePosition;
import dev.fraiseql.observers.schemas.Value;
import dev.fraiseql.observers.schemas.values.Infinity;
import dev.fraiseql.observers.schemas.values.Interval;
import dev.fraiseql.observers.schemas.values.Json;
import dev.fraiseql.observers.schemas.values.RowCodec;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON form of a job that actions send: the job id, the observer, and the event with its typed
 * row images and its source position (so a receiver can order deliveries or drop stale ones).
 *
 * <p>Decimals are written as exact JSON numbers with their scale, instants as ISO-8601 text, JSON
 * columns as nested JSON, binary columns as base64. The body is the same on every attempt of a job,
 * so a receiver that stores the first one sees identical repeats.
 */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private EventJson() {}

    /** The document a webhook receives. */
    public static ObjectNode jobDocument(Job job) {
        ObjectNode root = NODES.objectNode();
        root.put("job_id", job.getJobId());
        root.put("observer", job.getObserver());
        root.put("action_index", job.getActionIndex());
        root.set("event", event(job.getEvent()));
        return root;
    }

    /** The event part of {@link #jobDocument(Job)}. */
    public static ObjectNode event(ChangeEvent event) {
        ObjectNode node = NODES.objectNode();
        node.put("id", event.getEventId());
        node.put("connector", event.getConnector());
        node.put("entity", event.getEntity());
        node.put("op", event.getOp().name().toLowerCase(Locale.ROOT));
        node.set("key", row(event.getKey()));
        node.set("before", row(event.getBefore()));
        node.set("after", row(event.getAfter()));
        ArrayNode changed = node.putArray("changed");
        event.getChanged().forEach(name -> changed.add(name));
        node.put("commit_time", micros(event.getCommitTimeMicros()).toString());
        node.set("source", source(event.getSource()));
        return node;
    }

    /** A row image as a JSON object, or JSON null for an absent image. */
    public static JsonNode row(Map<String, Value> row) {
        if (row == null) {
            return NODES.nullNode();
        }
        ObjectNode node = NODES.objectNode();
        RowCodec.toJava(row).forEach((name, value) -> node.set(name, value(value)));
        return node;
    }

    /** Compact JSON text of a node. */
    public static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of a value inside a JSON string literal (without the quotes). */
    public static String escapeForJsonString(String text) {
        String quoted = text(NODES.textNode(text));
        return quoted.substring(1, quoted.length() - 1);
    }

    private static ObjectNode source(SourcePosition source) {
        ObjectNode node = NODES.objectNode();
        node.put("connector_type", source.getConnectorType());
        putIfSet(node, "database", source.getDatabase());
        putIfSet(node, "tx_id", source.getTxId());
        putIfSet(node, "commit_lsn", source.getCommitLsn());
        putIfSet(node, "change_lsn", source.getChangeLsn());
        putIfSet(node, "binlog_file", source.getBinlogFile());
        putIfSet(node, "binlog_position", source.getBinlogPosition());
        putIfSet(node, "binlog_row", source.getBinlogRow());
        node.put("snapshot", source.getSnapshot());
        return node;
    }

    private static void putIfSet(ObjectNode node, String name, Object value) {
        if (value instanceof Long number) {
            node.put(name, number);
        } else if (value instanceof Integer number) {
            node.put(name, number);
        } else if (value != null) {
            node.put(name, value.toString());
        }
    }

    private static JsonNode value(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof Boolean flag) {
            return NODES.booleanNode(flag);
        }
        if (value instanceof Long number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Double number) {
            return number.isNaN() || number.isInfinite()
                    ? NODES.textNode(number.toString())
                    : NODES.numberNode(number);
        }
        if (value instanceof BigDecimal number) {
            return NODES.numberNode(number);
        }
        if (value instanceof byte[] bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof Json json) {
            return json.tree();
        }
        if (value instanceof Interval interval) {
            return NODES.textNode(interval.iso());
        }
        if (value instanceof Infinity infinity) {
            return NODES.textNode(infinity == Infinity.POSITIVE ? "infinity" : "-infinity");
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(item -> array.add(value(item)));
            return array;
        }
        return NODES.textNode(value.toString());
    }

    private static Instant micros(long epochMicros) {
        return Instant.ofEpochSecond(
                Math.floorDiv(epochMicros, 1_000_000L),
                Math.floorMod(epochMicros, 1_000_000L) * 1000);
    }
}
