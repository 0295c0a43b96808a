package dev.fraiseql.observers.streams.topology;

import dev.fraiseql.observers.schemas.SourcePosition;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Order and identity of source positions.
 *
 * <p>PostgreSQL: two changes are the same change when their change LSN ({@code source.lsn}) is the
 * same; otherwise they are ordered by commit LSN, then change LSN, which is commit order. Debezium
 * leaves the commit LSN out for snapshot reads and for the first transaction after a start, so the
 * identity uses the change LSN and transaction id only: those are the same on every re-send. MySQL
 * and MariaDB: binlog file, position and row, in that order.
 */
public final class SourcePositions {

    private SourcePositions() {}

    /** The part of an event's identity that says where in the source log the change is. */
    public static String identity(SourcePosition position) {
        if (position.getChangeLsn() != null) {
            return "lsn:" + position.getChangeLsn() + ":tx:" + position.getTxId();
        }
        return "binlog:"
                + position.getBinlogFile()
                + ":"
                + position.getBinlogPosition()
                + ":"
                + position.getBinlogRow();
    }

    /**
     * Compares two positions of the same source: negative when {@code a} is older, zero when they
     * are the same change, empty when they cannot be compared (different connector types).
     */
    public static OptionalInt compare(SourcePosition a, SourcePosition b) {
        if (!Objects.equals(a.getConnectorType(), b.getConnectorType())) {
            return OptionalInt.empty();
        }
        if (a.getChangeLsn() != null && b.getChangeLsn() != null) {
            if (a.getChangeLsn().equals(b.getChangeLsn())) {
                return OptionalInt.of(0);
            }
            if (a.getCommitLsn() != null && b.getCommitLsn() != null) {
                int byCommit = Long.compare(a.getCommitLsn(), b.getCommitLsn());
                if (byCommit != 0) {
                    return OptionalInt.of(byCommit);
                }
            }
            return OptionalInt.of(Long.compare(a.getChangeLsn(), b.getChangeLsn()));
        }
        if (a.getBinlogFile() != null && b.getBinlogFile() != null) {
            // Binlog file names share a base name and a zero-padded sequence number.
            int byFile = a.getBinlogFile().compareTo(b.getBinlogFile());
            if (byFile != 0) {
                return OptionalInt.of(byFile);
            }
            int byPosition = Long.compare(a.getBinlogPosition(), b.getBinlogPosition());
            if (byPosition != 0) {
                return OptionalInt.of(byPosition);
            }
            return OptionalInt.of(Integer.compare(rowOf(a), rowOf(b)));
        }
        return OptionalInt.empty();
    }

    private static int rowOf(SourcePosition position) {
        return position.getBinlogRow() == null ? 0 : position.getBinlogRow();
    }
}
