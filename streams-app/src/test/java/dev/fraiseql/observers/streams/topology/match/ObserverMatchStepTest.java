package dev.fraiseql.observers.streams.topology.match;

import static dev.fraiseql.observers.streams.topology.match.Events.key;
import static dev.fraiseql.observers.streams.topology.match.Events.order;
import static dev.fraiseql.observers.streams.topology.match.Events.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.action.ActionOptionsValidators;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.metrics.ObserverMetrics;
import dev.fraiseql.observers.core.observer.JobIds;
import dev.fraiseql.observers.core.observer.Observer;
import dev.fraiseql.observers.core.observer.ObserverLoader;
import dev.fraiseql.observers.core.observer.ObserverRegistry;
import dev.fraiseql.observers.core.observer.condition.ConditionCompiler;
import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ObserverMatchStepTest {
    private static final ObserverLoader LOADER =
            new ObserverLoader(
                    new ConditionCompiler(),
                    ActionOptionsValidators.standard(),
                    EnvExpander.of(Map.of()));
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, ChangeEvent> events;
    private TestOutputTopic<String, Job> jobs;
    private ObserverRegistry registry;
    private final ObserverMetrics metrics = ObserverMetrics.inMemory();

    private static List<Observer> observers(String yaml) {
        ObserverLoader.Result result = LOADER.parse(Map.of("observers/orders.yaml", yaml));
        assertThat(result.problems()).isEmpty();
        return result.observers();
    }

    private void start(String yaml) {
        registry = new ObserverRegistry(observers(yaml));
        StreamsBuilder streams = new StreamsBuilder();
        new ObserverMatchStep(
                        registry,
                        "observers",
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        metrics,
                        ObserverSerdes.job())
                .accept(
                        streams.stream(
                                "observers.events",
                                Consumed.with(Serdes.String(), ObserverSerdes.changeEvent())));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "match-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(streams.build(), config);
        events =
                driver.createInputTopic(
                        "observers.events",
                        Serdes.String().serializer(),
                        ObserverSerdes.changeEvent().serializer());
        jobs =
                driver.createOutputTopic(
                        "observers.jobs",
                        Serdes.String().deserializer(),
                        ObserverSerdes.job().deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private static final String SHIPPED =
            "observers:\n"
                    + "  - name: order-shipped\n"
                    + "    entity: public.orders\n"
                    + "    on: [update]\n"
                    + "    when: changed_to('status', 'shipped')\n"
                    + "    actions:\n"
                    + "      - webhook: { url: 'http://127.0.0.1:9/hooks' }\n";

    @Test
    void statusChangedToShippedEmitsExactlyOneJob() {
        start(SHIPPED);
        ChangeEvent shipped =
                update(
                        "e-1",
                        order(1, "pending", new BigDecimal("10.00")),
                        order(1, "shipped", new BigDecimal("10.00")),
                        List.of("status"));

        events.pipeInput(key(1), shipped);

        List<KeyValue<String, Job>> out = jobs.readKeyValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key).isEqualTo(key(1));
        Job job = out.get(0).value;
        assertThat(job.getJobId()).isEqualTo(JobIds.of("e-1", "order-shipped", 0));
        assertThat(job.getObserver()).isEqualTo("order-shipped");
        assertThat(job.getActionType()).isEqualTo("webhook");
        assertThat(job.getActionIndex()).isZero();
        assertThat(job.getAttempt()).isEqualTo(1);
        assertThat(job.getCreatedAtMs()).isEqualTo(NOW.toEpochMilli());
        assertThat(job.getEvent()).isEqualTo(shipped);
        assertThat(
                        metrics.registry()
                                .get("fraiseql.observer.job.queued")
                                .tag("action_type", "webhook")
                                .counter()
                                .count())
                .isEqualTo(1.0);
    }

    @Test
    void updateThatLeavesStatusAloneEmitsNoJob() {
        start(SHIPPED);

        events.pipeInput(
                key(1),
                update(
                        "e-2",
                        order(1, "shipped", new BigDecimal("10.00")),
                        order(1, "shipped", new BigDecimal("12.00")),
                        List.of("amount")));

        assertThat(jobs.isEmpty()).isTrue();
        assertThat(registry.get().stats("order-shipped").evaluated()).isEqualTo(1);
        assertThat(registry.get().stats("order-shipped").matched()).isZero();
    }

    @Test
    void conditionThatThrowsForOneRecordIsCountedAndTheNextRecordIsProcessed() {
        start(
                "observers:\n"
                        + "  - name: big-order\n"
                        + "    entity: public.orders\n"
                        + "    on: [update]\n"
                        + "    when: after.amount > 1000.00\n"
                        + "    actions: [ { log: {} } ]\n");

        // A text in the amount column: '>' has no overload for (string, double) at run time.
        events.pipeInput(
                key(1),
                update("e-3", order(1, "pending", "n/a"), order(1, "pending", "n/a"), List.of()));
        events.pipeInput(
                key(2),
                update(
                        "e-4",
                        order(2, "pending", new BigDecimal("999.99")),
                        order(2, "pending", new BigDecimal("1000.01")),
                        List.of("amount")));

        List<KeyValue<String, Job>> out = jobs.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactly(key(2));
        assertThat(out.get(0).value.getJobId()).isEqualTo(JobIds.of("e-4", "big-order", 0));
        assertThat(registry.get().stats("big-order").errors()).isEqualTo(1);
        assertThat(registry.get().stats("big-order").lastError()).contains("No matching overload");
        assertThat(registry.get().stats("big-order").matched()).isEqualTo(1);
    }

    @Test
    void reloadedObserversTakeEffectOnTheNextEvent() {
        start(SHIPPED);
        registry.replace(observers(SHIPPED.replace("'shipped'", "'cancelled'")));

        events.pipeInput(
                key(1),
                update(
                        "e-5",
                        order(1, "pending", new BigDecimal("1")),
                        order(1, "shipped", new BigDecimal("1")),
                        List.of("status")));
        events.pipeInput(
                key(1),
                update(
                        "e-6",
                        order(1, "shipped", new BigDecimal("1")),
                        order(1, "cancelled", new BigDecimal("1")),
                        List.of("status")));

        assertThat(jobs.readValuesToList())
                .extracting(Job::getJobId)
                .containsExactly(JobIds.of("e-6", "order-shipped", 0));
    }

    @Test
    void sameEventTwiceGivesTheSameJobId() {
        start(SHIPPED);
        ChangeEvent shipped =
                update(
                        "e-7",
                        order(1, "pending", new BigDecimal("1")),
                        order(1, "shipped", new BigDecimal("1")),
                        List.of("status"));

        events.pipeInput(key(1), shipped);
        events.pipeInput(key(1), shipped);

        List<Job> out = jobs.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).getJobId()).isEqualTo(out.get(1).getJobId());
    }
}
