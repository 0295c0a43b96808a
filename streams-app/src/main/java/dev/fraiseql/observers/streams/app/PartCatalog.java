package dev.fraiseql.observers.streams.app;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which factory builds each switchable part. The HTTP endpoint is built in; the other parts plug in
 * here, one line each, in {@link #builtIn()}. A part that this build does not have yet is declared
 * unavailable: switching it on fails validation with a message saying so, rather than starting
 * something that only pretends to work.
 */
public final class PartCatalog {
    private final Map<PartKind, PartFactory> factories;
    private final Map<PartKind, String> unavailable;

    private PartCatalog(Map<PartKind, PartFactory> factories, Map<PartKind, String> unavailable) {
        this.factories = factories;
        this.unavailable = unavailable;
    }

    /** The parts of this build. */
    public static PartCatalog builtIn() {
        // One observer registry per application, shared by the topology and the worker.
        SharedObservers observers = new SharedObservers();
        return empty().with(PartKind.CONNECTORS, ConnectorsPart::new)
                .with(PartKind.TOPOLOGY, context -> new TopologyPart(context, observers))
                .with(PartKind.WORKER, context -> new WorkerPart(context, observers));
    }

    /** A catalog with no parts besides the HTTP endpoint. */
    public static PartCatalog empty() {
        return new PartCatalog(new EnumMap<>(PartKind.class), new EnumMap<>(PartKind.class));
    }

    /** A copy where the kind is built by the factory. */
    public PartCatalog with(PartKind kind, PartFactory factory) {
        requireSwitchable(kind);
        Objects.requireNonNull(factory, "factory");
        PartCatalog copy = copy();
        copy.factories.put(kind, factory);
        copy.unavailable.remove(kind);
        return copy;
    }

    /** A copy where the kind is declared missing from this build, named in words. */
    public PartCatalog unavailable(PartKind kind, String description) {
        requireSwitchable(kind);
        PartCatalog copy = copy();
        copy.factories.remove(kind);
        copy.unavailable.put(kind, description);
        return copy;
    }

    /** The factory of a kind, when this build has one. */
    public Optional<PartFactory> factory(PartKind kind) {
        return Optional.ofNullable(factories.get(kind));
    }

    /** Why a kind cannot run: {@code the job worker is not part of this build yet}. */
    public String whyUnavailable(PartKind kind) {
        String description = unavailable.getOrDefault(kind, "the " + kind.key() + " part");
        return description + " is not part of this build yet";
    }

    private static void requireSwitchable(PartKind kind) {
        if (kind == PartKind.HTTP) {
            throw new IllegalArgumentException("the HTTP endpoint is built in");
        }
    }

    private PartCatalog copy() {
        Map<PartKind, PartFactory> f = new EnumMap<>(PartKind.class);
        f.putAll(factories);
        Map<PartKind, String> u = new EnumMap<>(PartKind.class);
        u.putAll(unavailable);
        return new PartCatalog(f, u);
    }
}
