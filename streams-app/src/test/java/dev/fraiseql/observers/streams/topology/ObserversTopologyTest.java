package dev.fraiseql.observers.streams.topology;

import static dev.fraiseql.observers.streams.topology.RentalEnvelopes.create;
import static dev.fraiseql.observers.streams.topology.RentalEnvelopes.delete;
import static dev.fraiseql.observers.streams.topology.RentalEnvelopes.key;
import static dev.fraiseql.observers.streams.topology.RentalEnvelopes.keyOnly;
import static dev.fraiseql.observers.streams.topology.RentalEnvelopes.row;
import static dev.fraiseql.observers.streams.topology.RentalEnvelopes.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Operation;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import dev.fraiseql.observers.schemas.values.RowCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ObserversTopologyTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final String LONG_NOTE = "n".repeat(3000);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> source;
    private TestOutputTopic<String, ChangeEvent> events;
    private TestOutputTopic<byte[], byte[]> dlq;

    @BeforeEach
    void startDriver() {
        Topology topology =
                ObserversTopology.builder(
                                List.of(
                                        CdcSource.of(
                                                RentalEnvelopes.CONNECTOR,
                                                RentalEnvelopes.TOPIC_PREFIX)))
                        .meterRegistry(registry)
                        .dedupWindow(Duration.ofHours(24))
                        .dedupPunctuation(Duration.ofMinutes(1))
                        .build();
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(topology, config, START);
        source =
                driver.createInputTopic(
                        RentalEnvelopes.TOPIC,
                        new ByteArraySerializer(),
                        new ByteArraySerializer());
        events =
                driver.createOutputTopic(
                        "observers.events",
                        new StringDeserializer(),
                        ObserverSerdes.changeEvent().deserializer());
        dlq =
                driver.createOutputTopic(
                        "observers.events.dlq",
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void createIsWrittenUnderEntityKeyWithExactValues() {
        source.pipeInput(
                key(1),
                create(row(1, "1234.50", "first", "2024-06-01T10:15:30.123456Z"), 500, null, 1000));

        TestRecord<String, ChangeEvent> out = events.readRecord();
        assertThat(out.key()).isEqualTo("public.rental/1");
        ChangeEvent event = out.value();
        assertThat(event.getOp()).isEqualTo(Operation.CREATE);
        assertThat(event.getConnector()).isEqualTo("shop-db");
        assertThat(event.getEntity()).isEqualTo("public.rental");
        Map<String, Object> after = RowCodec.toJava(event.getAfter());
        assertThat(((BigDecimal) after.get("amount")).toPlainString()).isEqualTo("1234.50");
        assertThat(after.get("returned_at"))
                .isEqualTo(Instant.parse("2024-06-01T10:15:30.123456Z"));
        assertThat(after.get("rental_id")).isEqualTo(1L);
        assertThat(RowCodec.toJava(event.getKey())).isEqualTo(Map.of("rental_id", 1L));
        assertThat(event.getChanged())
                .containsExactly("rental_id", "amount", "note", "returned_at");
        assertThat(event.getSource().getChangeLsn()).isEqualTo(1000L);
        assertThat(event.getSource().getTxId()).isEqualTo("500");
        assertThat(events.isEmpty()).isTrue();
        assertThat(counter("fraiseql.observer.events.processed", "op", "create")).isEqualTo(1.0);
    }

    @Test
    void updateWithoutBeforeImageGetsItFromTheCache() {
        source.pipeInput(key(1), create(row(1, "10.00", "a", null), 500, null, 1000));
        source.pipeInput(key(1), update(null, row(1, "12.50", "a", null), 501, 1100L, 1200));

        ChangeEvent event = lastEvent(2);
        assertThat(event.getOp()).isEqualTo(Operation.UPDATE);
        assertThat(event.getBeforeRebuilt()).isTrue();
        assertThat(RowCodec.toJava(event.getBefore()).get("amount"))
                .isEqualTo(new BigDecimal("10.00"));
        assertThat(RowCodec.toJava(event.getAfter()).get("amount"))
                .isEqualTo(new BigDecimal("12.50"));
        assertThat(event.getChanged()).containsExactly("amount");
        assertThat(counter("fraiseql.observer.cache.hits")).isEqualTo(1.0);
    }

    @Test
    void updateWithColdCacheHasNoBeforeImage() {
        source.pipeInput(key(1), update(null, row(1, "12.50", "a", null), 501, 1100L, 1200));

        ChangeEvent event = lastEvent(1);
        assertThat(event.getBefore()).isNull();
        assertThat(event.getBeforeRebuilt()).isFalse();
        assertThat(event.getChanged()).isEmpty();
        assertThat(counter("fraiseql.observer.cache.misses")).isEqualTo(1.0);
    }

    @Test
    void deleteWithOnlyTheKeyIsCompletedFromTheCache() {
        source.pipeInput(key(1), create(row(1, "10.00", "a", null), 500, null, 1000));
        source.pipeInput(key(1), delete(keyOnly(1), 501, 1100L, 1200));
        source.pipeInput(key(1), (byte[]) null);

        ChangeEvent event = lastEvent(2);
        assertThat(event.getOp()).isEqualTo(Operation.DELETE);
        assertThat(event.getAfter()).isNull();
        assertThat(event.getBeforeRebuilt()).isTrue();
        Map<String, Object> before = RowCodec.toJava(event.getBefore());
        assertThat(before.get("amount")).isEqualTo(new BigDecimal("10.00"));
        assertThat(before.get("note")).isEqualTo("a");
        assertThat(counter("fraiseql.observer.events.skipped")).isEqualTo(1.0);
        assertThat(counter("fraiseql.observer.cache.evictions")).isEqualTo(1.0);
    }

    @Test
    void toastPlaceholderIsFilledFromTheCache() {
        source.pipeInput(key(7), create(row(7, "1.00", LONG_NOTE, null), 500, null, 1000));
        source.pipeInput(
                key(7),
                update(
                        null,
                        row(7, "2.00", "__debezium_unavailable_value", null),
                        501,
                        1100L,
                        1200));

        ChangeEvent event = lastEvent(2);
        Map<String, Object> after = RowCodec.toJava(event.getAfter());
        assertThat(after.get("note")).isEqualTo(LONG_NOTE);
        assertThat(event.getUnavailable()).isEmpty();
        assertThat(event.getChanged()).containsExactly("amount");
        assertThat(RowCodec.toJava(event.getBefore()).get("amount"))
                .isEqualTo(new BigDecimal("1.00"));
    }

    @Test
    void toastPlaceholderWithColdCacheIsMarkedUnavailable() {
        source.pipeInput(
                key(7),
                update(
                        null,
                        row(7, "2.00", "__debezium_unavailable_value", null),
                        501,
                        1100L,
                        1200));

        ChangeEvent event = lastEvent(1);
        Map<String, Object> after = RowCodec.toJava(event.getAfter());
        assertThat(after).containsEntry("note", null);
        assertThat(event.getUnavailable()).containsExactly("note");
        assertThat(event.getChanged()).doesNotContain("note");
    }

    @Test
    void sameDebeziumRecordTwiceIsWrittenOnceAndCounted() {
        byte[] record = create(row(1, "10.00", "a", null), 500, null, 1000);
        source.pipeInput(key(1), record);
        source.pipeInput(key(1), record);

        assertThat(events.readValuesToList()).hasSize(1);
        assertThat(counter("fraiseql.observer.dedup.detected")).isEqualTo(1.0);
        assertThat(counter("fraiseql.observer.dedup.processing_skipped")).isEqualTo(1.0);
    }

    @Test
    void eventIdIsStableForTheSameChangeAndDiffersForAnother() {
        source.pipeInput(key(1), create(row(1, "10.00", "a", null), 500, null, 1000));
        String first = lastEvent(1).getEventId();
        driver.close();
        startDriver();

        source.pipeInput(key(1), create(row(1, "10.00", "a", null), 500, null, 1000));
        source.pipeInput(key(1), update(null, row(1, "10.00", "a", null), 502, 1300L, 1400));

        List<ChangeEvent> again = events.readValuesToList();
        assertThat(again.get(0).getEventId()).isEqualTo(first);
        assertThat(again.get(1).getEventId()).isNotEqualTo(first);
    }

    @Test
    void dedupIdentitiesExpireByPunctuationAfterTheWindow() {
        source.pipeInput(key(1), create(row(1, "10.00", "a", null), 500, null, 1000));
        KeyValueStore<String, Long> dedup = driver.getKeyValueStore(ObserversTopology.DEDUP_STORE);
        assertThat(dedup.approximateNumEntries()).isEqualTo(1);

        driver.advanceWallClockTime(Duration.ofHours(23));
        assertThat(count(dedup)).isEqualTo(1);
        driver.advanceWallClockTime(Duration.ofHours(1).plusMinutes(2));

        assertThat(count(dedup)).isZero();
    }

    @Test
    void resentChangeAfterDedupExpiryIsStillDroppedByTheCachedPosition() {
        byte[] record = update(null, row(1, "10.00", "a", null), 501, 1100L, 1200);
        source.pipeInput(key(1), record);
        driver.advanceWallClockTime(Duration.ofHours(25));

        source.pipeInput(key(1), record);

        assertThat(events.readValuesToList()).hasSize(1);
        assertThat(counter("fraiseql.observer.dedup.detected")).isEqualTo(1.0);
    }

    @Test
    void changeOlderThanTheAppliedOneIsDroppedAsStale() {
        source.pipeInput(key(1), update(null, row(1, "30.00", "new", null), 503, 2000L, 2100));
        source.pipeInput(key(1), update(null, row(1, "20.00", "old", null), 502, 1500L, 1600));

        assertThat(events.readValuesToList()).hasSize(1);
        assertThat(counter("fraiseql.observer.events.stale")).isEqualTo(1.0);
        ChangeEvent cached = entityStore().get("public.rental/1");
        assertThat(RowCodec.toJava(cached.getAfter()).get("note")).isEqualTo("new");
    }

    @Test
    void truncateInvalidatesTheTablesCacheEntries() {
        source.pipeInput(key(1), create(row(1, "10.00", "a", null), 500, null, 1000));
        source.pipeInput(key(2), create(row(2, "20.00", "b", null), 500, null, 1010));
        source.pipeInput(null, RentalEnvelopes.truncate(501, 1100L, 1200));
        source.pipeInput(key(1), update(null, row(1, "11.00", "a", null), 502, 1300L, 1400));

        List<TestRecord<String, ChangeEvent>> out = events.readRecordsToList();
        assertThat(out).hasSize(4);
        assertThat(out.get(2).key()).isEqualTo("public.rental/");
        assertThat(out.get(2).value().getOp()).isEqualTo(Operation.TRUNCATE);
        ChangeEvent afterTruncate = out.get(3).value();
        assertThat(afterTruncate.getBefore()).isNull();
        assertThat(afterTruncate.getBeforeRebuilt()).isFalse();
        assertThat(entityStore().get("public.rental/2")).isNull();
        assertThat(counter("fraiseql.observer.cache.evictions")).isEqualTo(2.0);
    }

    @Test
    void changeOlderThanATruncateIsDroppedAsStale() {
        source.pipeInput(null, RentalEnvelopes.truncate(501, 1100L, 1200));
        source.pipeInput(key(1), create(row(1, "10.00", "a", null), 499, 900L, 1000));

        assertThat(events.readValuesToList()).hasSize(1);
        assertThat(counter("fraiseql.observer.events.stale")).isEqualTo(1.0);
    }

    @Test
    void primaryKeyChangeIsLinkedAsReKey() {
        source.pipeInput(key(1), create(row(1, "10.00", LONG_NOTE, null), 500, null, 1000));
        // PostgreSQL sends UPDATE rental SET rental_id = 10 as a DELETE and a CREATE at one LSN.
        source.pipeInput(key(1), delete(keyOnly(1), 501, 1100L, 1200));
        source.pipeInput(key(1), (byte[]) null);
        source.pipeInput(
                key(10),
                create(row(10, "10.00", "__debezium_unavailable_value", null), 501, 1100L, 1200));

        List<TestRecord<String, ChangeEvent>> out = events.readRecordsToList();
        assertThat(out).hasSize(3);
        TestRecord<String, ChangeEvent> rekey = out.get(2);
        assertThat(rekey.key()).isEqualTo("public.rental/10");
        assertThat(rekey.value().getOp()).isEqualTo(Operation.UPDATE);
        assertThat(RowCodec.toJava(rekey.value().getPreviousKey()))
                .isEqualTo(Map.of("rental_id", 1L));
        assertThat(RowCodec.toJava(rekey.value().getBefore()).get("rental_id")).isEqualTo(1L);
        assertThat(RowCodec.toJava(rekey.value().getAfter()).get("note")).isEqualTo(LONG_NOTE);
        assertThat(rekey.value().getChanged()).containsExactly("rental_id");
    }

    @Test
    void unreadableRecordGoesToTheDlqWithHeadersAndProcessingGoesOn() {
        RecordHeaders original = new RecordHeaders();
        original.add("trace", "abc".getBytes(StandardCharsets.UTF_8));
        byte[] badValue = "{not json".getBytes(StandardCharsets.UTF_8);
        source.pipeInput(new TestRecord<>(key(3), badValue, original));
        source.pipeInput(key(4), create(row(4, "1.00", "ok", null), 500, null, 1000));

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(dead.key()).isEqualTo(key(3));
        assertThat(dead.value()).isEqualTo(badValue);
        Map<String, String> headers = headers(dead);
        assertThat(headers)
                .containsEntry("trace", "abc")
                .containsEntry(DeadLetterHeaders.SOURCE_TOPIC, "shop.public.rental")
                .containsEntry(DeadLetterHeaders.SOURCE_PARTITION, "0")
                .containsEntry(DeadLetterHeaders.SOURCE_OFFSET, "0")
                .containsEntry(DeadLetterHeaders.STAGE, "read")
                .containsEntry(
                        DeadLetterHeaders.ERROR_CLASS,
                        "dev.fraiseql.observers.streams.topology.normalize."
                                + "UnreadableRecordException");
        assertThat(headers.get(DeadLetterHeaders.ERROR_MESSAGE)).startsWith("value is not JSON");
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(lastEvent(1).getEntity()).isEqualTo("public.rental");
        assertThat(counter("fraiseql.observer.events.dlq", "stage", "read")).isEqualTo(1.0);
        assertThat(counter("fraiseql.observer.events.failed")).isEqualTo(1.0);
        assertThat(counter("fraiseql.observer.events.deserialization_failures")).isEqualTo(1.0);
    }

    @Test
    void recordThatCannotBeNormalizedGoesToTheDlqAtStageNormalize() {
        String bad =
                new String(
                                create(row(5, "1.00", "x", null), 500, null, 1000),
                                StandardCharsets.UTF_8)
                        .replace("\"op\":\"c\"", "\"op\":\"x\"");
        source.pipeInput(key(5), bad.getBytes(StandardCharsets.UTF_8));

        Map<String, String> headers = headers(dlq.readRecord());
        assertThat(headers).containsEntry(DeadLetterHeaders.STAGE, "normalize");
        assertThat(headers.get(DeadLetterHeaders.ERROR_MESSAGE))
                .isEqualTo("payload.op 'x' is not one of c, u, d, t, r");
        assertThat(events.isEmpty()).isTrue();
        assertThat(counter("fraiseql.observer.events.failed")).isEqualTo(1.0);
        assertThat(counter("fraiseql.observer.events.deserialization_failures")).isZero();
    }

    @Test
    void aConnectorNamedLikeTheAppReadsItsTablesButNotTheProductsOwnTopics() {
        ObserversTopology topology =
                ObserversTopology.builder(
                                List.of(
                                        CdcSource.of("shop-db", "shop"),
                                        CdcSource.of("o", "orders")))
                        .topicPrefix("shop")
                        .create();

        java.util.regex.Pattern pattern = topology.sourcePattern();

        assertThat(
                        List.of(
                                "shop.public.orders",
                                "shop.jobs_schema.jobs",
                                "shop.transaction",
                                "orders.public.lines"))
                .allMatch(topic -> pattern.matcher(topic).matches());
        assertThat(
                        List.of(
                                "shop.events",
                                "shop.events.dlq",
                                "shop.jobs",
                                "shop.jobs.dlq",
                                "shop.jobs.outcomes",
                                "shop.jobs.retry.1s",
                                "shop.jobs.retry.10m",
                                "shop-topology-entity-state-changelog",
                                "__debezium-heartbeat.shop"))
                .noneMatch(topic -> pattern.matcher(topic).matches());
    }

    @Test
    void eventsHookRunsInTheSameSubTopology() {
        Topology topology =
                ObserversTopology.builder(List.of(CdcSource.of("shop-db", "shop")))
                        .onEvents(
                                stream ->
                                        stream.mapValues(ChangeEvent::getEventId)
                                                .to(
                                                        "matched",
                                                        Produced.with(
                                                                org.apache.kafka.common
                                                                        .serialization.Serdes
                                                                        .String(),
                                                                org.apache.kafka.common
                                                                        .serialization.Serdes
                                                                        .String())))
                        .build();

        assertThat(topology.describe().subtopologies()).hasSize(1);
        assertThat(topology.describe().toString())
                .contains("observers.events", "observers.events.dlq", "matched");
    }

    private ChangeEvent lastEvent(int expectedCount) {
        List<ChangeEvent> all = events.readValuesToList();
        assertThat(all).hasSize(expectedCount);
        return all.get(all.size() - 1);
    }

    private KeyValueStore<String, ChangeEvent> entityStore() {
        return driver.getKeyValueStore(ObserversTopology.ENTITY_STORE);
    }

    private static long count(KeyValueStore<String, Long> store) {
        long n = 0;
        try (var all = store.all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }

    private double counter(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0.0 : counter.count();
    }

    private static Map<String, String> headers(TestRecord<byte[], byte[]> record) {
        Map<String, String> out = new HashMap<>();
        for (Header header : record.headers()) {
            out.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return out;
    }
}
