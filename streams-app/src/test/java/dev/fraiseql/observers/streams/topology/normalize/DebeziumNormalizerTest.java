package dev.fraiseql.observers.streams.topology.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fraiseql.observers.schemas.Operation;
import dev.fraiseql.observers.schemas.SourcePosition;
import dev.fraiseql.observers.schemas.values.Infinity;
import dev.fraiseql.observers.schemas.values.Interval;
import dev.fraiseql.observers.schemas.values.Json;
import dev.fraiseql.observers.streams.topology.CdcSource;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Normalization of records captured from Debezium 3.6.1 (PostgreSQL 14, pgoutput, default
 * converters) into Java values. The fixtures in {@code src/test/resources/debezium} are verbatim
 * engine output for a table with one column of each type.
 */
class DebeziumNormalizerTest {
    private final DebeziumNormalizer normalizer =
            new DebeziumNormalizer(List.of(CdcSource.of("inventory", "capsrv")));

    @Test
    void snapshotReadOfEveryPostgresTypeKeepsExactValues() {
        NormalizedChange change = normalize("postgres-all-types-read").orElseThrow();

        Map<String, Object> row = change.after();
        assertThat(row.get("id")).isEqualTo(1L);
        assertThat(row.get("n")).isEqualTo(new BigDecimal("1234.50"));
        assertThat(((BigDecimal) row.get("n")).toPlainString()).isEqualTo("1234.50");
        assertThat(row.get("nv")).isEqualTo(new BigDecimal("3.14159"));
        assertThat(row.get("m")).isEqualTo(new BigDecimal("12.34"));
        assertThat(row.get("d")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(row.get("tm")).isEqualTo(LocalTime.parse("13:45:30.123456"));
        assertThat(row.get("ts")).isEqualTo(LocalDateTime.parse("2024-02-29T13:45:30.123456"));
        assertThat(row.get("tstz")).isEqualTo(Instant.parse("2024-02-29T11:45:30.123456Z"));
        assertThat(row.get("ttz")).isEqualTo(OffsetTime.parse("11:45:30.500Z"));
        assertThat(row.get("u")).isEqualTo(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        assertThat(row.get("u").toString()).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertThat(row.get("j")).isEqualTo(new Json("{\"a\":[1,2],\"b\":1}"));
        assertThat(row.get("js")).isEqualTo(new Json("{\"a\":null,\"z\":true}"));
        assertThat(row.get("e")).isEqualTo("happy");
        assertThat(row.get("arr")).isEqualTo(List.of(1L, 2L, 3L));
        assertThat(row.get("tarr")).isEqualTo(List.of("x", "y z"));
        // 1 year 2 months 3 days 04:05:06.5 as Debezium's microseconds (month = 30.4375 days).
        assertThat(row.get("iv")).isEqualTo(new Interval("PT10303H5M6.5S"));
        assertThat((byte[]) row.get("b")).isEqualTo(HexFormat.of().parseHex("deadbeef"));
        assertThat(row.get("dom")).isEqualTo(7L);
        assertThat(row.get("big")).isEqualTo("small");
        assertThat(row.get("f4")).isEqualTo(1.5d);
        assertThat(row.get("f8")).isEqualTo(2.25d);
        assertThat(row.get("sm")).isEqualTo(3L);
        assertThat(row.get("bi")).isEqualTo(9007199254740993L);
        assertThat(row.get("bo")).isEqualTo(true);
        assertThat(row.get("dinf")).isEqualTo(Infinity.POSITIVE);
        assertThat(row.get("tsinf")).isEqualTo(Infinity.POSITIVE);
        assertThat(row.get("tstzinf")).isEqualTo(Infinity.NEGATIVE);
    }

    @Test
    void snapshotReadCarriesEntityKeyAndSourcePosition() {
        NormalizedChange change = normalize("postgres-all-types-read").orElseThrow();

        assertThat(change.connector()).isEqualTo("inventory");
        assertThat(change.entity()).isEqualTo("public.t");
        assertThat(change.op()).isEqualTo(Operation.READ);
        assertThat(change.key()).isEqualTo(Map.of("id", 1L));
        assertThat(change.before()).isNull();
        SourcePosition source = change.source();
        assertThat(source.getConnectorType()).isEqualTo("postgresql");
        assertThat(source.getDatabase()).isEqualTo("cap_1");
        assertThat(source.getTxId()).isEqualTo("739");
        assertThat(source.getCommitLsn()).isNull();
        assertThat(source.getChangeLsn()).isEqualTo(24248968L);
        assertThat(source.getSnapshot()).isTrue();
        assertThat(change.commitTimeMicros()).isEqualTo(1796401708949819L);
        assertThat(change.captureTimeMicros()).isEqualTo(1796401709460948L);
    }

    @Test
    void negativeInfinityAndDatesBeforeTheEpochAreKept() {
        NormalizedChange change = normalize("postgres-negative-infinity-create").orElseThrow();

        assertThat(change.op()).isEqualTo(Operation.CREATE);
        assertThat(change.after().get("d")).isEqualTo(LocalDate.of(1969, 12, 31));
        assertThat(change.after().get("dinf")).isEqualTo(Infinity.NEGATIVE);
        assertThat(change.after().get("tsinf")).isEqualTo(Infinity.NEGATIVE);
        assertThat(change.after().get("tstzinf")).isEqualTo(Infinity.POSITIVE);
        assertThat(change.after().get("n")).isEqualTo(new BigDecimal("1.00"));
        assertThat(change.source().getSnapshot()).isFalse();
    }

    @Test
    void unchangedToastColumnIsMarkedAsPlaceholder() {
        NormalizedChange change = normalize("postgres-toast-update").orElseThrow();

        assertThat(change.op()).isEqualTo(Operation.UPDATE);
        assertThat(change.before()).isNull();
        assertThat(change.placeholderAfter()).containsExactly("big");
        assertThat(change.after().get("big")).isSameAs(NormalizedChange.UNAVAILABLE);
        assertThat(change.after().get("n")).isEqualTo(new BigDecimal("6.00"));
        assertThat(change.source().getCommitLsn()).isEqualTo(24253040L);
        assertThat(change.source().getChangeLsn()).isEqualTo(24253096L);
    }

    @Test
    void placeholderTextComesFromTheConnectorConfig() {
        DebeziumNormalizer custom =
                new DebeziumNormalizer(List.of(new CdcSource("inventory", "capsrv", "small")));

        NormalizedChange change =
                custom.normalize(
                                fixture("postgres-all-types-read.key.json"),
                                fixture("postgres-all-types-read.value.json"))
                        .orElseThrow();

        assertThat(change.placeholderAfter()).containsExactly("big");
    }

    @Test
    void truncateHasNoKeyAndNoImages() {
        NormalizedChange change = normalize("postgres-truncate").orElseThrow();

        assertThat(change.op()).isEqualTo(Operation.TRUNCATE);
        assertThat(change.key()).isEmpty();
        assertThat(change.before()).isNull();
        assertThat(change.after()).isNull();
        assertThat(change.entity()).isEqualTo("public.t");
    }

    @Test
    void heartbeatsTransactionMarkersAndLogicalMessagesAreNotChanges() {
        assertThat(normalize("postgres-heartbeat")).isEmpty();
        assertThat(normalize("postgres-tx-begin")).isEmpty();
        assertThat(normalize("postgres-tx-end")).isEmpty();
        assertThat(normalize("postgres-logical-message")).isEmpty();
    }

    @Test
    void tombstoneIsNotAChange() {
        assertThat(normalizer.normalize(fixture("postgres-all-types-read.key.json"), null))
                .isEmpty();
    }

    @Test
    void mysqlChangeUsesBinlogPositionAndDatabaseAsSchema() {
        String value =
                """
                {"schema":{"type":"struct","name":"shop.inventory.customers.Envelope","fields":[
                  {"type":"struct","optional":true,"field":"before","fields":[
                    {"type":"int32","optional":false,"field":"id"},
                    {"type":"string","optional":true,"field":"email"}]},
                  {"type":"struct","optional":true,"field":"after","fields":[
                    {"type":"int32","optional":false,"field":"id"},
                    {"type":"string","optional":true,"field":"email"}]}]},
                 "payload":{"before":null,"after":{"id":1004,"email":"annek@noanswer.org"},
                  "source":{"version":"3.6.1.Final","connector":"mysql","name":"shop",
                   "ts_ms":1465491411000,"snapshot":"false","db":"inventory","table":"customers",
                   "server_id":223344,"gtid":null,"file":"mysql-bin.000003","pos":484,"row":0,
                   "thread":7,"query":null},
                  "op":"c","ts_ms":1465491411815}}
                """;
        DebeziumNormalizer mysql = new DebeziumNormalizer(List.of(CdcSource.of("shop", "shop")));

        NormalizedChange change = mysql.normalize(null, bytes(value)).orElseThrow();

        assertThat(change.entity()).isEqualTo("inventory.customers");
        assertThat(change.source().getConnectorType()).isEqualTo("mysql");
        assertThat(change.source().getBinlogFile()).isEqualTo("mysql-bin.000003");
        assertThat(change.source().getBinlogPosition()).isEqualTo(484L);
        assertThat(change.source().getBinlogRow()).isEqualTo(0);
        assertThat(change.source().getChangeLsn()).isNull();
        assertThat(change.commitTimeMicros()).isEqualTo(1465491411000000L);
        assertThat(change.captureTimeMicros()).isEqualTo(1465491411815000L);
        assertThat(change.after()).containsEntry("email", "annek@noanswer.org");
    }

    @Test
    void valueThatIsNotJsonIsUnreadable() {
        assertThatThrownBy(() -> normalizer.normalize(null, bytes("not json {")))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageStartingWith("value is not JSON");
    }

    @Test
    void jsonWithoutSchemasIsRejectedWithTheConverterSettingToFix() {
        assertThatThrownBy(() -> normalizer.normalize(null, bytes("{\"before\":null}")))
                .isInstanceOf(NormalizationException.class)
                .hasMessageContaining("value.converter.schemas.enable=true");
    }

    @Test
    void badColumnValueNamesTheField() {
        String value =
                new String(fixture("postgres-all-types-read.value.json"), StandardCharsets.UTF_8)
                        .replace(
                                "\"u\":\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"",
                                "\"u\":\"not-a-uuid\"");

        assertThatThrownBy(() -> normalizer.normalize(null, bytes(value)))
                .isInstanceOf(NormalizationException.class)
                .hasMessageContaining("field 'after.u' (schema io.debezium.data.Uuid string)");
    }

    @Test
    void unknownTopicPrefixIsRejected() {
        DebeziumNormalizer other = new DebeziumNormalizer(List.of(CdcSource.of("x", "other")));

        assertThatThrownBy(
                        () -> other.normalize(null, fixture("postgres-all-types-read.value.json")))
                .isInstanceOf(NormalizationException.class)
                .hasMessageContaining("source.name 'capsrv' matches no configured connector");
    }

    private Optional<NormalizedChange> normalize(String name) {
        byte[] key = fixtureOrNull(name + ".key.json");
        return normalizer.normalize(key, fixture(name + ".value.json"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] fixture(String file) {
        byte[] bytes = fixtureOrNull(file);
        if (bytes == null) {
            throw new IllegalStateException("missing test resource debezium/" + file);
        }
        return bytes;
    }

    private static byte[] fixtureOrNull(String file) {
        try (InputStream in =
                DebeziumNormalizerTest.class.getResourceAsStream("/debezium/" + file)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
