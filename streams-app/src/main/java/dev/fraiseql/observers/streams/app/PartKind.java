package dev.fraiseql.observers.streams.app;

import dev.fraiseql.observers.core.config.app.PartSwitches;

/**
 * The parts that can be switched on and off in {@code application.yaml} ({@code parts.*}) and on
 * the command line, in start order. The HTTP endpoint starts first so that {@code /health/live}
 * answers while the others start, and it stops last so that readiness probes see them stop.
 */
public enum PartKind {
    HTTP("http"),
    CONNECTORS("connectors"),
    TOPOLOGY("topology"),
    WORKER("worker");

    private final String key;

    PartKind(String key) {
        this.key = key;
    }

    /** The switch's name under {@code parts.} and the part's name in {@code /health}. */
    public String key() {
        return key;
    }

    /** True when this part is switched on. */
    public boolean enabledIn(PartSwitches switches) {
        return switch (this) {
            case HTTP -> switches.http();
            case CONNECTORS -> switches.connectors();
            case TOPOLOGY -> switches.topology();
            case WORKER -> switches.worker();
        };
    }
}
