package dev.fraiseql.observers.streams.app;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a {@link Part}, with its legal transitions:
 *
 * <pre>
 * NEW ──▶ STARTING ──▶ RUNNING ──▶ STOPPING ──▶ STOPPED
 *  │          │           │           ▲
 *  │          └──▶ FAILED ◀┘           │
 *  │                  └───────────────┘
 *  └──────────────────────────────────▶ STOPPED
 * </pre>
 *
 * A part that fails is still closed (FAILED to STOPPING), so its resources are released.
 */
public enum PartState {
    NEW,
    STARTING,
    RUNNING,
    FAILED,
    STOPPING,
    STOPPED;

    /** The states this one may move to. */
    public Set<PartState> next() {
        return switch (this) {
            case NEW -> EnumSet.of(STARTING, STOPPED);
            case STARTING -> EnumSet.of(RUNNING, FAILED, STOPPING);
            case RUNNING -> EnumSet.of(STOPPING, FAILED);
            case FAILED -> EnumSet.of(STOPPING);
            case STOPPING -> EnumSet.of(STOPPED);
            case STOPPED -> EnumSet.noneOf(PartState.class);
        };
    }

    /** True when moving to {@code target} is legal. */
    public boolean canMoveTo(PartState target) {
        return next().contains(target);
    }
}
