package dev.fraiseql.observers.testing;

import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.Operation;
import dev.fraiseql.observers.schemas.SourcePosition;
import dev.fraiseql.observers.schemas.values.RowCodec;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jobs built from a realistic rental update (Pagila's {@code public.rental}), for action and worker
 * tests.
 */
public final class SampleJobs {

    private SampleJobs() {}

    /** A rental-returned job for rental {@code rentalId}, first attempt, action 0 of a webhook. */
    public static Job rentalReturned(String jobId, long rentalId) {
        return rentalReturned(jobId, rentalId, "webhook");
    }

    /** The same job for another action type. */
    public static Job rentalReturned(String jobId, long rentalId, String actionType) {
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("rental_id", rentalId);
        before.put("return_date", null);
        before.put("amount", new BigDecimal("4.99"));
        before.put("note", "said \"thanks\"\nand left");
        Map<String, Object> after = new LinkedHashMap<>(before);
        after.put("return_date", Instant.parse("2026-12-04T10:15:30.123456Z"));

        ChangeEvent event =
                ChangeEvent.newBuilder()
                        .setEventId("pagila:public.rental:" + rentalId + ":0/16B3748:0/16B37A0")
                        .setConnector("pagila")
                        .setEntity("public.rental")
                        .setOp(Operation.UPDATE)
                        .setKey(RowCodec.toAvro(Map.of("rental_id", rentalId)))
                        .setBefore(RowCodec.toAvro(before))
                        .setAfter(RowCodec.toAvro(after))
                        .setChanged(List.of("return_date"))
                        .setSource(
                                SourcePosition.newBuilder()
                                        .setConnectorType("postgresql")
                                        .setDatabase("pagila")
                                        .setTxId("771")
                                        .setCommitLsn(23803720L)
                                        .setChangeLsn(23803808L)
                                        .build())
                        .setCommitTimeMicros(1_796_379_330_123_456L)
                        .setCaptureTimeMicros(1_796_379_330_323_456L)
                        .build();
        return Job.newBuilder()
                .setJobId(jobId)
                .setObserver("rental-returned")
                .setActionIndex(0)
                .setActionType(actionType)
                .setEvent(event)
                .setCreatedAtMs(1_796_379_330_400L)
                .build();
    }
}
