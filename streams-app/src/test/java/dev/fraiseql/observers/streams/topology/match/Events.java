package dev.fraiseql.observers.streams.topology.match;

import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Operation;
import dev.fraiseql.observers.schemas.SourcePosition;
import dev.fraiseql.observers.schemas.values.RowCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Change events of a {@code public.orders} table with columns id, status and amount. */
final class Events {
    static final String ENTITY = "public.orders";

    private Events() {}

    static Map<String, Object> order(long id, String status, Object amount) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("status", status);
        row.put("amount", amount);
        return row;
    }

    static String key(long id) {
        return ENTITY + "|" + id;
    }

    static ChangeEvent update(
            String eventId,
            Map<String, Object> before,
            Map<String, Object> after,
            List<String> changed) {
        return ChangeEvent.newBuilder()
                .setEventId(eventId)
                .setConnector("shop")
                .setEntity(ENTITY)
                .setOp(Operation.UPDATE)
                .setKey(RowCodec.toAvro(Map.of("id", after.get("id"))))
                .setBefore(RowCodec.toAvro(before))
                .setAfter(RowCodec.toAvro(after))
                .setChanged(changed)
                .setSource(SourcePosition.newBuilder().setConnectorType("postgresql").build())
                .setCommitTimeMicros(1_700_000_000_000_000L)
                .setCaptureTimeMicros(1_700_000_000_100_000L)
                .build();
    }
}
