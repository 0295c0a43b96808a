package dev.fraiseql.observers.streams.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts whose health makes up {@code /health/live} and {@code /health/ready}. Parts register
 * and unregister themselves as they start and close; a contributor that throws is reported as
 * failed rather than breaking the report.
 */
public final class HealthRegistry {
    private static final Logger log = LoggerFactory.getLogger(HealthRegistry.class);

    private final Map<String, HealthContributor> contributors = new LinkedHashMap<>();

    /** The health of every registered part at one moment. */
    public record Report(Map<String, Health> parts) {
        public Report {
            parts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parts));
        }

        /** Ready when every part is ready (and at least one is registered). */
        public boolean ready() {
            return !parts.isEmpty() && parts.values().stream().allMatch(Health::isReady);
        }

        /** Live unless a part has failed for good. */
        public boolean live() {
            return parts.values().stream().noneMatch(h -> h.status() == Health.Status.FAILED);
        }
    }

    /**
     * Adds a contributor.
     *
     * @return a handle that removes it again
     * @throws IllegalArgumentException when the name is already registered
     */
    public synchronized AutoCloseable register(HealthContributor contributor) {
        Objects.requireNonNull(contributor, "contributor");
        String name = contributor.name();
        if (contributors.putIfAbsent(name, contributor) != null) {
            throw new IllegalArgumentException("a health contributor named " + name + " exists");
        }
        return () -> unregister(name, contributor);
    }

    private synchronized void unregister(String name, HealthContributor contributor) {
        contributors.remove(name, contributor);
    }

    /** Asks every contributor, in registration order. */
    public Report report() {
        Map<String, HealthContributor> snapshot;
        synchronized (this) {
            snapshot = new LinkedHashMap<>(contributors);
        }
        Map<String, Health> parts = new LinkedHashMap<>();
        snapshot.forEach((name, contributor) -> parts.put(name, ask(name, contributor)));
        return new Report(parts);
    }

    private static Health ask(String name, HealthContributor contributor) {
        try {
            Health health = contributor.health();
            return health == null
                    ? Health.failed("UNKNOWN", "health check returned nothing")
                    : health;
        } catch (RuntimeException e) {
            log.warn("[health] {}: health check threw; reporting the part as failed", name, e);
            return Health.failed("UNKNOWN", "health check threw " + e.getClass().getSimpleName());
        }
    }
}
