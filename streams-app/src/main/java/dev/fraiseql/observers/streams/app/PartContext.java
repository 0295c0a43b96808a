package dev.fraiseql.observers.streams.app;

import com.sun.net.httpserver.HttpHandler;
import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import dev.fraiseql.observers.core.config.app.ConfigFolder;
import dev.fraiseql.observers.core.metrics.ObserverMetrics;
import dev.fraiseql.observers.streams.http.Handler;
import dev.fraiseql.observers.streams.http.HealthContributor;
import dev.fraiseql.observers.streams.http.HealthRegistry;
import dev.fraiseql.observers.streams.http.HttpEndpoint;
import dev.fraiseql.observers.streams.http.Telemetry;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a part gets to build itself: the loaded config folder, the metrics, the health registry (for
 * health beyond the part's own, such as one entry per connector), and a way to serve HTTP paths.
 */
public final class PartContext {
    private final ConfigFolder folder;
    private final Telemetry telemetry;
    private final HealthRegistry health;
    private final Mounts mounts;
    private final Supplier<Optional<InetSocketAddress>> httpAddress;

    /** Mounts handlers on the HTTP endpoint, or ignores them when the endpoint is off. */
    @FunctionalInterface
    public interface Mounts {
        AutoCloseable mount(String path, Handler handler);
    }

    /**
     * @param httpAddress the address other instances reach this process's HTTP endpoint at, empty
     *     while it does not listen or when it is switched off
     */
    public PartContext(
            ConfigFolder folder,
            Telemetry telemetry,
            HealthRegistry health,
            Mounts mounts,
            Supplier<Optional<InetSocketAddress>> httpAddress) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.health = Objects.requireNonNull(health, "health");
        this.mounts = Objects.requireNonNull(mounts, "mounts");
        this.httpAddress = Objects.requireNonNull(httpAddress, "httpAddress");
    }

    public ConfigFolder folder() {
        return folder;
    }

    public ApplicationConfig config() {
        return folder.application();
    }

    /** The product's metrics. */
    public ObserverMetrics metrics() {
        return telemetry.metrics();
    }

    /** The registry, to bind Kafka clients and Streams ({@link Telemetry#bind}). */
    public Telemetry telemetry() {
        return telemetry;
    }

    /** Registers extra health entries; the returned handle removes them. */
    public AutoCloseable registerHealth(HealthContributor contributor) {
        return health.register(contributor);
    }

    /**
     * Serves a path on the HTTP endpoint ({@code /entities}); when the endpoint is switched off,
     * nothing is served and the handle does nothing.
     */
    public AutoCloseable mount(String path, Handler handler) {
        return mounts.mount(path, handler);
    }

    /** Serves a path with a JDK handler that writes the exchange itself. */
    public AutoCloseable mountRaw(String path, HttpHandler handler) {
        return mounts.mount(path, HttpEndpoint.raw(handler));
    }

    /**
     * Where other instances reach this process's HTTP endpoint ({@code application.server} of Kafka
     * Streams); empty when the endpoint is switched off.
     */
    public Optional<InetSocketAddress> httpAddress() {
        return httpAddress.get();
    }
}
