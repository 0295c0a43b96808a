package dev.fraiseql.observers.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.schemas.SourcePosition;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SourcePositionsTest {

    @Test
    void postgresChangesOrderByCommitLsnThenChangeLsn() {
        // A transaction that started first but committed later has lower change LSNs.
        SourcePosition earlierCommit = pg(2000L, 2500L);
        SourcePosition laterCommit = pg(3000L, 2100L);

        assertThat(SourcePositions.compare(earlierCommit, laterCommit).getAsInt()).isNegative();
        assertThat(SourcePositions.compare(laterCommit, earlierCommit).getAsInt()).isPositive();
    }

    @Test
    void sameChangeLsnIsTheSameChangeEvenWithoutCommitLsn() {
        assertThat(SourcePositions.compare(pg(null, 2500L), pg(2000L, 2500L)))
                .isEqualTo(OptionalInt.of(0));
        assertThat(SourcePositions.identity(pg(null, 2500L)))
                .isEqualTo(SourcePositions.identity(pg(2000L, 2500L)));
    }

    @Test
    void mysqlChangesOrderByFilePositionAndRow() {
        assertThat(
                        SourcePositions.compare(
                                        mysql("mysql-bin.000003", 484, 1),
                                        mysql("mysql-bin.000003", 484, 2))
                                .getAsInt())
                .isNegative();
        assertThat(
                        SourcePositions.compare(
                                        mysql("mysql-bin.000004", 4, 0),
                                        mysql("mysql-bin.000003", 90000, 0))
                                .getAsInt())
                .isPositive();
        assertThat(SourcePositions.identity(mysql("mysql-bin.000003", 484, 1)))
                .isEqualTo("binlog:mysql-bin.000003:484:1");
    }

    @Test
    void positionsOfDifferentDatabasesAreNotCompared() {
        assertThat(SourcePositions.compare(pg(1L, 1L), mysql("mysql-bin.000001", 1, 0))).isEmpty();
    }

    private static SourcePosition pg(Long commitLsn, long changeLsn) {
        return SourcePosition.newBuilder()
                .setConnectorType("postgresql")
                .setTxId("7")
                .setCommitLsn(commitLsn)
                .setChangeLsn(changeLsn)
                .build();
    }

    private static SourcePosition mysql(String file, long position, int row) {
        return SourcePosition.newBuilder()
                .setConnectorType("mysql")
                .setBinlogFile(file)
                .setBinlogPosition(position)
                .setBinlogRow(row)
                .build();
    }
}
