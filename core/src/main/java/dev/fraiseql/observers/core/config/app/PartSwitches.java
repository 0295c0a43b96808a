package dev.fraiseql.observers.core.config.app;

/**
 * Which parts run in this process. Each can be switched off so that the parts can be deployed apart
 * and scaled separately.
 */
public record PartSwitches(boolean connectors, boolean topology, boolean worker, boolean http) {

    /** Every part on. */
    public static final PartSwitches ALL = new PartSwitches(true, true, true, true);

    /** True when at least one part is on. */
    public boolean any() {
        return connectors || topology || worker || http;
    }
}
