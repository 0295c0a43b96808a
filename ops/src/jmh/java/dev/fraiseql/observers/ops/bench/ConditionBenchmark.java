package dev.fraiseql.observers.ops.bench;

import dev.fraiseql.observers.core.observer.ObserverLoader;
import dev.fraiseql.observers.core.observer.ObserverSet;
import dev.fraiseql.observers.core.observer.condition.Condition;
import dev.fraiseql.observers.core.observer.condition.ConditionCompiler;
import dev.fraiseql.observers.core.observer.condition.Evaluation;
import dev.fraiseql.observers.core.observer.condition.EventContext;
import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.Operation;
import dev.fraiseql.observers.schemas.SourcePosition;
import dev.fraiseql.observers.schemas.values.RowCodec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Condition evaluation on one rental update: one compiled CEL condition on a prepared context, the
 * same with the context built from the event, and the ten observers of the topology benchmark (five
 * match) turning the event into jobs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConditionBenchmark {
    private Condition condition;
    private ChangeEvent event;
    private EventContext context;
    private ObserverSet observers;

    @Setup
    public void setUp() {
        ConditionCompiler.Result compiled =
                new ConditionCompiler()
                        .compile(
                                "changed_from('return_date', null) && after.customer_id >= 1"
                                        + " && after.customer_id <= 599");
        if (!compiled.ok()) {
            throw new IllegalStateException("the condition does not compile: " + compiled.issues());
        }
        condition = compiled.condition();
        event = rentalReturned();
        context = EventContext.of(event);

        ObserverLoader.Result loaded =
                ObserverLoader.standard()
                        .parse(
                                Map.of(
                                        "bench.yaml",
                                        BenchObservers.tenHalfMatching(
                                                "http://127.0.0.1:9/hooks/unused")));
        if (!loaded.valid()) {
            throw new IllegalStateException("the observers do not load: " + loaded.problems());
        }
        observers = new ObserverSet(loaded.observers());
    }

    @Benchmark
    public Evaluation oneCondition() {
        return condition.evaluate(context);
    }

    @Benchmark
    public Evaluation oneConditionWithItsContext() {
        return condition.evaluate(EventContext.of(event));
    }

    @Benchmark
    public List<Job> tenObservers() {
        return observers.jobsFor(event, 1_796_400_000_000L);
    }

    private static ChangeEvent rentalReturned() {
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("rental_id", 51L);
        before.put("rental_date", Instant.parse("2026-12-01T10:51:00Z"));
        before.put("inventory_id", 358L);
        before.put("customer_id", 65L);
        before.put("return_date", null);
        before.put("staff_id", 2L);
        before.put("last_update", Instant.parse("2026-12-01T10:51:00Z"));
        Map<String, Object> after = new LinkedHashMap<>(before);
        after.put("return_date", Instant.parse("2026-12-04T10:51:00Z"));
        after.put("last_update", Instant.parse("2026-12-04T10:51:00Z"));
        return ChangeEvent.newBuilder()
                .setEventId("5f0c1d6e-2a57-3d6b-9d59-0c1f3f4f2b1a")
                .setConnector("bench")
                .setEntity(RentalChanges.TABLE)
                .setOp(Operation.UPDATE)
                .setKey(RowCodec.toAvro(Map.of("rental_id", 51L)))
                .setBefore(RowCodec.toAvro(before))
                .setAfter(RowCodec.toAvro(after))
                .setChanged(List.of("return_date", "last_update"))
                .setUnavailable(List.of())
                .setBeforeRebuilt(true)
                .setPreviousKey(null)
                .setSource(
                        SourcePosition.newBuilder()
                                .setConnectorType("postgresql")
                                .setDatabase("bench")
                                .setTxId("1000")
                                .setCommitLsn(24_010_000L)
                                .setChangeLsn(24_000_057L)
                                .build())
                .setCommitTimeMicros(1_796_400_000_000_000L)
                .setCaptureTimeMicros(1_796_400_000_001_000L)
                .build();
    }
}
