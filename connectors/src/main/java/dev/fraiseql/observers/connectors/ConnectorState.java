package dev.fraiseql.observers.connectors;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of one connector. The legal moves are listed here once, and every change of state
 * is checked against them:
 *
 * <pre>
 * STARTING ──▶ RUNNING ──▶ RETRYING ──▶ STARTING
 *    │            │  │          │
 *    │            │  └──▶ FAILED ──▶ STOPPED
 *    └────────────┴──────────────────▶ STOPPED
 * </pre>
 *
 * <p>{@code RETRYING} means the database (or Kafka) could not be reached and a new attempt is
 * scheduled; {@code FAILED} means a person must fix something (credentials, {@code wal_level}, a
 * missing table) and the connector will not try again until its file changes.
 */
public enum ConnectorState {
    STARTING,
    RUNNING,
    RETRYING,
    FAILED,
    STOPPED;

    /** The states this one may move to. */
    public Set<ConnectorState> next() {
        return switch (this) {
            case STARTING -> EnumSet.of(RUNNING, RETRYING, FAILED, STOPPED);
            case RUNNING -> EnumSet.of(RETRYING, FAILED, STOPPED);
            case RETRYING -> EnumSet.of(STARTING, STOPPED);
            case FAILED -> EnumSet.of(STOPPED);
            case STOPPED -> EnumSet.noneOf(ConnectorState.class);
        };
    }

    /** True when moving from this state to {@code target} is allowed. */
    public boolean canMoveTo(ConnectorState target) {
        return next().contains(target);
    }
}
