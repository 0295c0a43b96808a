package dev.fraiseql.observers.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.schemas.Operation;
import dev.fraiseql.observers.streams.topology.CdcSource;
import dev.fraiseql.observers.streams.topology.normalize.DebeziumNormalizer;
import dev.fraiseql.observers.streams.topology.normalize.NormalizedChange;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RentalChangesTest {
    private static final long START_MS = 1_796_400_000_000L;

    private final RentalChanges changes = new RentalChanges("bench", START_MS);
    private final DebeziumNormalizer normalizer =
            new DebeziumNormalizer(List.of(CdcSource.of("bench-db", "bench")));

    // int4 columns are read as Long, the Java type of every integer column (see RowCodec).
    @Test
    void anEvenChangeIsTheInsertOfItsRentalAsTheProductReadsIt() {
        NormalizedChange change =
                normalizer.normalize(changes.key(4), changes.value(4)).orElseThrow();

        assertThat(change.connector()).isEqualTo("bench-db");
        assertThat(change.entity()).isEqualTo("public.rental");
        assertThat(change.op()).isEqualTo(Operation.CREATE);
        assertThat(change.key()).isEqualTo(Map.of("rental_id", 3L));
        assertThat(change.before()).isNull();
        assertThat(change.after())
                .containsEntry("rental_id", 3L)
                .containsEntry("inventory_id", 22L)
                .containsEntry("customer_id", 40L)
                .containsEntry("staff_id", 2L)
                .containsEntry("rental_date", Instant.parse("2026-12-01T10:03:00Z"))
                .containsEntry("return_date", null);
        assertThat(change.commitTimeMicros()).isEqualTo(START_MS * 1000);
    }

    @Test
    void anOddChangeReturnsItsRentalWithoutBeforeImageInTheNextTransactionAfterAHundred() {
        NormalizedChange change =
                normalizer.normalize(changes.key(101), changes.value(101)).orElseThrow();

        assertThat(change.op()).isEqualTo(Operation.UPDATE);
        assertThat(change.key()).isEqualTo(Map.of("rental_id", 51L));
        assertThat(change.before()).isNull();
        assertThat(change.after())
                .containsEntry("return_date", Instant.parse("2026-12-04T10:51:00Z"));
        assertThat(change.commitTimeMicros()).isEqualTo((START_MS + 1) * 1000);
    }

    @Test
    void changesOfOneTransactionShareTheCommitPositionAndDifferInTheirOwn() {
        NormalizedChange first =
                normalizer.normalize(changes.key(0), changes.value(0)).orElseThrow();
        NormalizedChange second =
                normalizer.normalize(changes.key(1), changes.value(1)).orElseThrow();
        NormalizedChange next =
                normalizer.normalize(changes.key(100), changes.value(100)).orElseThrow();

        assertThat(first.source().getCommitLsn()).isEqualTo(24_010_000L);
        assertThat(second.source().getCommitLsn()).isEqualTo(24_010_000L);
        assertThat(first.source().getChangeLsn()).isEqualTo(24_000_001L);
        assertThat(second.source().getChangeLsn()).isEqualTo(24_000_057L);
        assertThat(next.source().getCommitLsn()).isEqualTo(24_020_000L);
        assertThat(next.source().getChangeLsn()).isEqualTo(24_010_001L);
    }
}
