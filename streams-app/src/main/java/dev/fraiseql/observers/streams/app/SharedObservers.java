package dev.fraiseql.observers.streams.app;

import dev.fraiseql.observers.core.action.ActionExecutors;
import dev.fraiseql.observers.core.action.LogExecutor;
import dev.fraiseql.observers.core.action.SearchExecutor;
import dev.fraiseql.observers.core.action.SlackExecutor;
import dev.fraiseql.observers.core.action.WebhookExecutor;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.observer.ObserverLoader;
import dev.fraiseql.observers.core.observer.ObserverRegistry;
import dev.fraiseql.observers.core.observer.ObserverReloader;
import dev.fraiseql.observers.core.observer.condition.ConditionCompiler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observers of one application, loaded once and shared by the topology (which matches events
 * against them) and the worker (which finds a job's action in them), so that a reload of the
 * observer files reaches both at the same moment. The first part that asks loads the files and
 * starts watching them; the folder must be valid at start, later invalid edits are rejected and
 * logged while the previous observers stay in force.
 */
final class SharedObservers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SharedObservers.class);
    private static final Duration QUIET_PERIOD = Duration.ofMillis(500);

    private ObserverRegistry registry;
    private ObserverReloader reloader;
    private int users;

    /** The registry of the folder's observers, loaded on the first call. */
    synchronized ObserverRegistry acquire(Path observersDir) throws IOException {
        Objects.requireNonNull(observersDir, "observersDir");
        if (registry == null) {
            ObserverLoader loader =
                    new ObserverLoader(new ConditionCompiler(), validators(), EnvExpander.system());
            registry = new ObserverRegistry(loader.load(observersDir));
            reloader = ObserverReloader.start(loader, observersDir, registry, QUIET_PERIOD);
            log.info(
                    "[observers] {} observers loaded from {}",
                    registry.get().observers().size(),
                    observersDir);
        }
        users++;
        return registry;
    }

    /**
     * The executors' own checks for the HTTP and log actions, so a file the loader accepts is one
     * the worker can run (a webhook secret must be {@code whsec_} and base64, for example). Email
     * and Kafka keep the standard checks: their executors open a thread pool or a producer.
     */
    private static dev.fraiseql.observers.core.action.ActionOptionsValidators validators() {
        java.time.Clock clock = java.time.Clock.systemUTC();
        return ActionExecutors.validators(
                java.util.List.of(
                        new WebhookExecutor(clock),
                        new SlackExecutor(clock),
                        new SearchExecutor(clock),
                        new LogExecutor()));
    }

    /** Releases one use; the last one stops watching the folder. */
    synchronized void release() {
        users--;
        if (users == 0) {
            close();
        }
    }

    @Override
    public synchronized void close() {
        if (reloader != null) {
            reloader.close();
            reloader = null;
        }
    }
}
