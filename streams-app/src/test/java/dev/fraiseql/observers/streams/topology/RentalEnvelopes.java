package dev.fraiseql.observers.streams.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Debezium PostgreSQL change records for a {@code public.rental} table, shaped like the records the
 * embedded engine's JSON format writes (key and value with schemas; field layout copied from
 * records captured from Debezium 3.6.1 with pgoutput, see {@code src/test/resources/debezium}).
 *
 * <p>Columns: {@code rental_id int4 primary key, amount numeric(10,2), note text, returned_at
 * timestamptz}.
 */
final class RentalEnvelopes {
    static final String TOPIC_PREFIX = "shop";
    static final String TOPIC = "shop.public.rental";
    static final String CONNECTOR = "shop-db";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RentalEnvelopes() {}

    /** A row image: values in Debezium's JSON encoding (decimal as base64, instant as text). */
    static ObjectNode row(int id, String amount, String note, String returnedAt) {
        ObjectNode row = MAPPER.createObjectNode();
        row.put("rental_id", id);
        if (amount == null) {
            row.putNull("amount");
        } else {
            row.put("amount", decimal(amount));
        }
        row.put("note", note);
        row.put("returned_at", returnedAt);
        return row;
    }

    /** The before image Debezium sends for a DELETE under the default replica identity. */
    static ObjectNode keyOnly(int id) {
        return row(id, null, null, null);
    }

    static String decimal(String text) {
        return Base64.getEncoder()
                .encodeToString(new BigDecimal(text).unscaledValue().toByteArray());
    }

    static byte[] key(int id) {
        ObjectNode key = MAPPER.createObjectNode();
        ObjectNode schema = key.putObject("schema");
        schema.put("type", "struct");
        schema.putArray("fields")
                .addObject()
                .put("type", "int32")
                .put("optional", false)
                .put("field", "rental_id");
        schema.put("optional", false);
        schema.put("name", "shop.public.rental.Key");
        key.putObject("payload").put("rental_id", id);
        return bytes(key);
    }

    /** A change at a source position: commitLsn may be null (snapshot, first transaction). */
    static byte[] change(
            String op, ObjectNode before, ObjectNode after, long txId, Long commitLsn, long lsn) {
        ObjectNode value = MAPPER.createObjectNode();
        ObjectNode schema = value.putObject("schema");
        schema.put("type", "struct");
        schema.put("optional", false);
        schema.put("name", "shop.public.rental.Envelope");
        schema.put("version", 2);
        ArrayNode fields = schema.putArray("fields");
        rowSchema(fields.addObject(), "before");
        rowSchema(fields.addObject(), "after");
        fields.addObject()
                .put("type", "struct")
                .put("optional", false)
                .put("name", "io.debezium.connector.postgresql.Source")
                .put("field", "source");
        fields.addObject().put("type", "string").put("optional", false).put("field", "op");
        fields.addObject().put("type", "int64").put("optional", true).put("field", "ts_us");

        ObjectNode payload = value.putObject("payload");
        payload.set("before", before);
        payload.set("after", after);
        ObjectNode source = payload.putObject("source");
        source.put("version", "3.6.1.Final");
        source.put("connector", "postgresql");
        source.put("name", TOPIC_PREFIX);
        source.put("ts_ms", 1_717_243_200_000L + txId);
        source.put("snapshot", "r".equals(op) ? "true" : "false");
        source.put("db", "shop");
        source.put(
                "sequence",
                "[" + (commitLsn == null ? "null" : "\"" + commitLsn + "\"") + ",\"" + lsn + "\"]");
        source.put("ts_us", (1_717_243_200_000L + txId) * 1000L);
        source.put("schema", "public");
        source.put("table", "rental");
        source.put("txId", txId);
        source.put("lsn", lsn);
        payload.put("op", op);
        payload.put("ts_ms", 1_717_243_201_000L + txId);
        payload.put("ts_us", (1_717_243_201_000L + txId) * 1000L);
        return bytes(value);
    }

    static byte[] create(ObjectNode after, long txId, Long commitLsn, long lsn) {
        return change("c", null, after, txId, commitLsn, lsn);
    }

    static byte[] update(ObjectNode before, ObjectNode after, long txId, long commitLsn, long lsn) {
        return change("u", before, after, txId, commitLsn, lsn);
    }

    static byte[] delete(ObjectNode before, long txId, long commitLsn, long lsn) {
        return change("d", before, null, txId, commitLsn, lsn);
    }

    static byte[] truncate(long txId, long commitLsn, long lsn) {
        return change("t", null, null, txId, commitLsn, lsn);
    }

    private static void rowSchema(ObjectNode field, String name) {
        field.put("type", "struct");
        field.put("optional", true);
        field.put("name", "shop.public.rental.Value");
        field.put("field", name);
        ArrayNode columns = field.putArray("fields");
        columns.addObject().put("type", "int32").put("optional", false).put("field", "rental_id");
        ObjectNode amount = columns.addObject();
        amount.put("type", "bytes")
                .put("optional", true)
                .put("name", "org.apache.kafka.connect.data.Decimal")
                .put("version", 1)
                .put("field", "amount");
        amount.putObject("parameters").put("scale", "2").put("connect.decimal.precision", "10");
        columns.addObject().put("type", "string").put("optional", true).put("field", "note");
        columns.addObject()
                .put("type", "string")
                .put("optional", true)
                .put("name", "io.debezium.time.ZonedTimestamp")
                .put("version", 1)
                .put("field", "returned_at");
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
