package dev.fraiseql.observers.streams.app;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of {@link ObserversApplication}, with its legal transitions:
 *
 * <pre>
 * NEW ──▶ PREPARING_TOPICS ──▶ STARTING_PARTS ──▶ RUNNING ──▶ STOPPING ──▶ STOPPED
 *               │                    │               │            ▲
 *               └────────────────────┴──▶ FAILED ◀───┘            │
 *                                           └─────────────────────┘
 * </pre>
 */
public enum ApplicationState {
    NEW,
    PREPARING_TOPICS,
    STARTING_PARTS,
    RUNNING,
    FAILED,
    STOPPING,
    STOPPED;

    /** The states this one may move to. */
    public Set<ApplicationState> next() {
        return switch (this) {
            case NEW -> EnumSet.of(PREPARING_TOPICS, STOPPING);
            case PREPARING_TOPICS -> EnumSet.of(STARTING_PARTS, FAILED, STOPPING);
            case STARTING_PARTS -> EnumSet.of(RUNNING, FAILED, STOPPING);
            case RUNNING -> EnumSet.of(STOPPING, FAILED);
            case FAILED -> EnumSet.of(STOPPING);
            case STOPPING -> EnumSet.of(STOPPED);
            case STOPPED -> EnumSet.noneOf(ApplicationState.class);
        };
    }

    /** True when moving to {@code target} is legal. */
    public boolean canMoveTo(ApplicationState target) {
        return next().contains(target);
    }
}
