package dev.fraiseql.observers.core.observer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.action.ActionOptionsValidators;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.observer.condition.ConditionCompiler;
import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.Operation;
import dev.fraiseql.observers.schemas.SourcePosition;
import dev.fraiseql.observers.schemas.values.RowCodec;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObserverSetTest {
    private static final ObserverLoader LOADER =
            new ObserverLoader(
                    new ConditionCompiler(),
                    ActionOptionsValidators.standard(),
                    EnvExpander.of(Map.of()));

    private static ObserverSet load(String yaml) {
        ObserverLoader.Result result = LOADER.parse(Map.of("observers/o.yaml", yaml));
        assertThat(result.problems()).isEmpty();
        return new ObserverSet(result.observers());
    }

    static ChangeEvent event(
            String id,
            Operation op,
            Map<String, Object> before,
            Map<String, Object> after,
            List<String> changed) {
        return ChangeEvent.newBuilder()
                .setEventId(id)
                .setConnector("shop")
                .setEntity("public.orders")
                .setOp(op)
                .setKey(RowCodec.toAvro(Map.of("id", 1L)))
                .setBefore(RowCodec.toAvro(before))
                .setAfter(RowCodec.toAvro(after))
                .setChanged(changed)
                .setSource(SourcePosition.newBuilder().setConnectorType("postgresql").build())
                .setCommitTimeMicros(1_700_000_000_000_000L)
                .setCaptureTimeMicros(1_700_000_000_100_000L)
                .build();
    }

    private static Map<String, Object> order(String status, String amount) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 1L);
        row.put("status", status);
        row.put("amount", new BigDecimal(amount));
        return row;
    }

    private static final String TWO_ACTIONS =
            "observers:\n"
                    + "  - name: order-shipped\n"
                    + "    entity: public.orders\n"
                    + "    on: [update]\n"
                    + "    when: changed_to('status', 'shipped') && after.amount > 1000.00\n"
                    + "    actions:\n"
                    + "      - log: {}\n"
                    + "      - kafka: { topic: shipped }\n";

    @Test
    void matchingEventGivesOneJobPerActionWithDeterministicIds() {
        ObserverSet set = load(TWO_ACTIONS);
        ChangeEvent shipped =
                event(
                        "e-1",
                        Operation.UPDATE,
                        order("pending", "1234.50"),
                        order("shipped", "1234.50"),
                        List.of("status"));

        List<Job> jobs = set.jobsFor(shipped, 42L);

        assertThat(jobs)
                .extracting(Job::getJobId)
                .containsExactly(
                        JobIds.of("e-1", "order-shipped", 0), JobIds.of("e-1", "order-shipped", 1));
        assertThat(jobs).extracting(Job::getActionType).containsExactly("log", "kafka");
        assertThat(jobs).extracting(Job::getActionIndex).containsExactly(0, 1);
        assertThat(jobs)
                .allSatisfy(
                        job -> {
                            assertThat(job.getAttempt()).isEqualTo(1);
                            assertThat(job.getCreatedAtMs()).isEqualTo(42L);
                            assertThat(job.getObserver()).isEqualTo("order-shipped");
                            assertThat(job.getEvent()).isEqualTo(shipped);
                        });
        assertThat(set.jobsFor(shipped, 99L))
                .extracting(Job::getJobId)
                .containsExactlyElementsOf(jobs.stream().map(Job::getJobId).toList());
        assertThat(set.stats("order-shipped").matched()).isEqualTo(2);
    }

    @Test
    void jobIdsDifferByEventObserverAndAction() {
        assertThat(JobIds.of("e-1", "a", 0)).matches("job_[0-9a-f]{32}");
        assertThat(JobIds.of("e-1", "a", 0))
                .isNotEqualTo(JobIds.of("e-2", "a", 0))
                .isNotEqualTo(JobIds.of("e-1", "b", 0))
                .isNotEqualTo(JobIds.of("e-1", "a", 1));
        assertThat(JobIds.of("e:1", "a", 0)).isNotEqualTo(JobIds.of("e", "1:a", 0));
    }

    @Test
    void eventThatDoesNotMatchGivesNoJob() {
        ObserverSet set = load(TWO_ACTIONS);
        ChangeEvent cheap =
                event(
                        "e-2",
                        Operation.UPDATE,
                        order("pending", "10"),
                        order("shipped", "10"),
                        List.of("status"));
        ChangeEvent deleted =
                event("e-3", Operation.DELETE, order("shipped", "1234.50"), null, List.of());

        assertThat(set.jobsFor(cheap, 1L)).isEmpty();
        assertThat(set.jobsFor(deleted, 1L)).isEmpty();
        assertThat(set.stats("order-shipped").evaluated()).isEqualTo(1);
    }

    @Test
    void conditionErrorIsCountedAndTheNextObserverStillRuns() {
        ObserverSet set =
                load(
                        "observers:\n"
                                + "  - name: broken\n"
                                + "    entity: public.orders\n"
                                + "    on: [update]\n"
                                + "    when: after.no_such_column == 1\n"
                                + "    actions: [ { log: {} } ]\n"
                                + "  - name: any-update\n"
                                + "    entity: public.orders\n"
                                + "    on: [update]\n"
                                + "    actions: [ { log: {} } ]\n");
        ChangeEvent update =
                event(
                        "e-4",
                        Operation.UPDATE,
                        order("pending", "1"),
                        order("shipped", "1"),
                        List.of("status"));

        List<Job> jobs = set.jobsFor(update, 1L);

        assertThat(jobs).extracting(Job::getObserver).containsExactly("any-update");
        assertThat(set.stats("broken").errors()).isEqualTo(1);
        assertThat(set.stats("broken").lastError()).contains("no field 'no_such_column' in after");
    }

    @Test
    void unavailableFieldIsCountedAndDoesNotFire() {
        ObserverSet set =
                load(
                        "observers:\n"
                                + "  - name: note-changed\n"
                                + "    entity: public.orders\n"
                                + "    on: [update]\n"
                                + "    when: after.status == 'shipped'\n"
                                + "    actions: [ { log: {} } ]\n");
        ChangeEvent toasted =
                ChangeEvent.newBuilder(
                                event(
                                        "e-5",
                                        Operation.UPDATE,
                                        null,
                                        order("shipped", "1"),
                                        List.of("status")))
                        .setUnavailable(List.of("status"))
                        .build();

        assertThat(set.jobsFor(toasted, 1L)).isEmpty();
        assertThat(set.stats("note-changed").unavailable()).isEqualTo(1);
        assertThat(set.stats("note-changed").errors()).isZero();
    }

    @Test
    void reloadKeepsTheCountsOfObserversWithTheSameName() {
        ObserverSet set = load(TWO_ACTIONS);
        set.jobsFor(
                event(
                        "e-6",
                        Operation.UPDATE,
                        order("pending", "2000"),
                        order("shipped", "2000"),
                        List.of("status")),
                1L);

        ObserverSet reloaded = set.replacedBy(load(TWO_ACTIONS).observers());

        assertThat(reloaded.stats("order-shipped").matched()).isEqualTo(1);
    }
}
