package dev.fraiseql.observers.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The benchmarks' workload: changes to a Pagila-like {@code public.rental} table, as SQL for the
 * end-to-end run and as the Debezium records the connector writes for it (Kafka Connect JSON with
 * schemas, the layout of a record captured from Debezium 3.6.1 with pgoutput, see {@code
 * bench/rental-change.json}) for the runs that start at the change topic.
 *
 * <p>Change {@code i} of a sequence touches rental {@code i / 2 + 1}: even changes insert the
 * rental, odd ones update it with its return date, as PostgreSQL's default replica identity sends
 * it (no before image, which the entity cache completes). Changes are grouped in transactions of
 * {@link #CHANGES_PER_TRANSACTION}: one commit LSN and one commit time per group.
 */
final class RentalChanges {
    /** The captured table. */
    static final String TABLE = "public.rental";

    /** Changes per source transaction. */
    static final int CHANGES_PER_TRANSACTION = 100;

    /** The table, its columns those of Pagila's {@code rental}. */
    static final String SCHEMA_SQL =
            "CREATE TABLE public.rental ("
                    + " rental_id integer PRIMARY KEY,"
                    + " rental_date timestamptz NOT NULL,"
                    + " inventory_id integer NOT NULL,"
                    + " customer_id integer NOT NULL,"
                    + " return_date timestamptz,"
                    + " staff_id integer NOT NULL,"
                    + " last_update timestamptz NOT NULL DEFAULT now())";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant RENTED = Instant.parse("2026-12-01T10:00:00Z");
    private static final long FIRST_LSN = 24_000_000L;
    private static final long FIRST_TX = 1_000L;

    private final String connector;
    private final ObjectNode template;
    private final long startMs;

    /**
     * Changes as connector {@code connector} (its name is its topic prefix and the records' {@code
     * source.name}) writes them, whose commit times start at {@code startMs} and advance 1 ms per
     * transaction.
     */
    RentalChanges(String connector, long startMs) {
        this.connector = connector;
        this.template = readTemplate();
        this.startMs = startMs;
        ObjectNode source = (ObjectNode) template.get("payload").get("source");
        source.put("name", connector);
        for (JsonNode field : template.get("schema").get("fields")) {
            if (field.has("name") && field.get("name").asText().endsWith(".Value")) {
                ((ObjectNode) field).put("name", connector + "." + TABLE + ".Value");
            }
        }
        ((ObjectNode) template.get("schema")).put("name", connector + "." + TABLE + ".Envelope");
    }

    /** The change topic of the table. */
    static String topic(String connector) {
        return connector + "." + TABLE;
    }

    /** The record key of change {@code i}: Debezium's key struct of the rental. */
    byte[] key(int i) {
        int id = rentalId(i);
        return ("{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"optional\":false,"
                    + "\"default\":0,\"field\":\"rental_id\"}],\"optional\":false,"
                    + "\"name\":\"bench.public.rental.Key\"},\"payload\":{\"rental_id\":"
                        + id
                        + "}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The record value of change {@code i}: the change envelope with its source position. */
    byte[] value(int i) {
        int transaction = i / CHANGES_PER_TRANSACTION;
        long commitMs = startMs + transaction;
        long txId = FIRST_TX + transaction;
        long commitLsn = FIRST_LSN + (transaction + 1L) * 10_000L;
        long lsn = commitLsn - 10_000L + 1 + (i % CHANGES_PER_TRANSACTION) * 56L;

        ObjectNode envelope = template.deepCopy();
        ObjectNode payload = (ObjectNode) envelope.get("payload");
        payload.set("after", row(i, commitMs));
        payload.put("op", isInsert(i) ? "c" : "u");
        ObjectNode source = (ObjectNode) payload.get("source");
        source.put("ts_ms", commitMs);
        source.put("ts_us", commitMs * 1_000L);
        source.put("ts_ns", commitMs * 1_000_000L);
        source.put("sequence", "[\"" + commitLsn + "\",\"" + lsn + "\"]");
        source.put("txId", txId);
        source.put("lsn", lsn);
        ObjectNode transactionNode = (ObjectNode) payload.get("transaction");
        transactionNode.put("id", txId + ":" + lsn);
        transactionNode.put("total_order", i % CHANGES_PER_TRANSACTION + 1);
        transactionNode.put("data_collection_order", i % CHANGES_PER_TRANSACTION + 1);
        payload.put("ts_ms", commitMs + 1);
        payload.put("ts_us", (commitMs + 1) * 1_000L);
        payload.put("ts_ns", (commitMs + 1) * 1_000_000L);
        try {
            return MAPPER.writeValueAsBytes(envelope);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rental change {@code i} touches. */
    static int rentalId(int i) {
        return i / 2 + 1;
    }

    /** True when change {@code i} inserts its rental; false when it returns it. */
    static boolean isInsert(int i) {
        return i % 2 == 0;
    }

    /** The inventory item of a rental: 1 to 4,581, as in Pagila. */
    static int inventoryId(int rentalId) {
        return 1 + (rentalId * 7) % 4581;
    }

    /** The customer of a rental: 1 to 599, as in Pagila. */
    static int customerId(int rentalId) {
        return 1 + (rentalId * 13) % 599;
    }

    /** The staff member of a rental: 1 or 2, as in Pagila. */
    static int staffId(int rentalId) {
        return 1 + rentalId % 2;
    }

    /** When a rental was rented: one minute apart. */
    static Instant rentalDate(int rentalId) {
        return RENTED.plus(rentalId, ChronoUnit.MINUTES);
    }

    /** When a rental was returned: three days after it was rented. */
    static Instant returnDate(int rentalId) {
        return rentalDate(rentalId).plus(3, ChronoUnit.DAYS);
    }

    private static ObjectNode row(int i, long commitMs) {
        int id = rentalId(i);
        ObjectNode row = MAPPER.createObjectNode();
        row.put("rental_id", id);
        row.put("rental_date", rentalDate(id).toString());
        row.put("inventory_id", inventoryId(id));
        row.put("customer_id", customerId(id));
        if (isInsert(i)) {
            row.putNull("return_date");
        } else {
            row.put("return_date", returnDate(id).toString());
        }
        row.put("staff_id", staffId(id));
        row.put("last_update", Instant.ofEpochMilli(commitMs).toString());
        return row;
    }

    private static ObjectNode readTemplate() {
        try (InputStream in =
                RentalChanges.class.getResourceAsStream("/bench/rental-change.json")) {
            if (in == null) {
                throw new IllegalStateException("bench/rental-change.json is missing from the jar");
            }
            JsonNode node = MAPPER.readTree(in);
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
