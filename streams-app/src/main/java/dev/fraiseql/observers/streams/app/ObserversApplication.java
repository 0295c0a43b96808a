package dev.fraiseql.observers.streams.app;

import dev.fraiseql.observers.core.config.ConfigException;
import dev.fraiseql.observers.core.config.ConfigValidator;
import dev.fraiseql.observers.core.config.Problem;
import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import dev.fraiseql.observers.core.config.app.ConfigFolder;
import dev.fraiseql.observers.core.config.app.GroupNames;
import dev.fraiseql.observers.streams.http.Health;
import dev.fraiseql.observers.streams.http.HealthContributor;
import dev.fraiseql.observers.streams.http.HealthRegistry;
import dev.fraiseql.observers.streams.http.HttpEndpoint;
import dev.fraiseql.observers.streams.http.Telemetry;
import dev.fraiseql.observers.streams.metrics.QueueGauges;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The product in one process, from a loaded config folder: it prepares the topics, then starts the
 * switched-on parts in {@link PartKind} order (HTTP endpoint, connectors, topology, worker), and on
 * {@link #close()} stops them in reverse order, each within what is left of {@code
 * shutdown.timeout} and each in its own try/catch so that one failure does not skip the rest.
 *
 * <p>The application's and every part's lifecycle state are visible in {@code /health}: the
 * application as {@code application}, each part under its name.
 *
 * <p>When the HTTP endpoint is on, the queue gauges ({@code backlog_size}, {@code job_queue_depth},
 * {@code dlq_items}, {@code job_dlq_items}) are read from the broker every {@link
 * #QUEUE_GAUGE_INTERVAL}. They describe the whole deployment, not this process: every instance
 * reports the same values, so dashboards take their maximum.
 */
public final class ObserversApplication implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ObserversApplication.class);

    /** How often the queue gauges are read from the broker. */
    public static final Duration QUEUE_GAUGE_INTERVAL = Duration.ofSeconds(10);

    private final ConfigFolder folder;
    private final ApplicationConfig config;
    private final PartCatalog catalog;
    private final TopicPreparation topics;
    private final Telemetry telemetry = new Telemetry();
    private final HealthRegistry health = new HealthRegistry();
    private final HttpEndpoint endpoint;
    private final List<ManagedPart> parts = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile ApplicationState state = ApplicationState.NEW;
    private volatile TopicManager.Report topicReport;
    private QueueGauges queueGauges;

    private ObserversApplication(
            ConfigFolder folder, PartCatalog catalog, TopicPreparation topics) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.config = folder.application();
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.endpoint =
                config.parts().http()
                        ? new HttpEndpoint(
                                config.http().host(),
                                config.http().port(),
                                config.http().threads(),
                                telemetry,
                                health)
                        : null;
        health.register(new ApplicationHealth());
    }

    /**
     * An application of this build's parts that creates missing topics on start.
     *
     * @throws ConfigException when a switched-on part is not available in this build
     */
    public static ObserversApplication create(ConfigFolder folder) {
        return create(
                folder,
                PartCatalog.builtIn(),
                TopicPreparation.apply(List.of(), Duration.ofSeconds(30)));
    }

    /**
     * An application with the given parts and topic step.
     *
     * @throws ConfigException when a switched-on part has no factory in the catalog
     */
    public static ObserversApplication create(
            ConfigFolder folder, PartCatalog catalog, TopicPreparation topics) {
        List<Problem> problems = new ArrayList<>();
        for (PartKind kind : PartKind.values()) {
            if (kind != PartKind.HTTP
                    && kind.enabledIn(folder.application().parts())
                    && catalog.factory(kind).isEmpty()) {
                problems.add(
                        new Problem(
                                ConfigFolder.APPLICATION_FILE,
                                0,
                                "parts." + kind.key(),
                                "true",
                                catalog.whyUnavailable(kind),
                                "switch it off with 'parts."
                                        + kind.key()
                                        + ": false' or --no-"
                                        + kind.key()
                                        + " on the command line"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ObserversApplication(folder, catalog, topics);
    }

    /**
     * Prepares the topics and starts every switched-on part. On failure, the parts already started
     * are closed again and the failure is rethrown.
     */
    public void start() {
        if (state != ApplicationState.NEW) {
            throw new IllegalStateException("the application was already started; it is " + state);
        }
        log.info("[app] starting from {} with {}", folder.root(), config);
        // What validate warns about, said here too: a file that is not read is easily missed.
        for (Problem unread : ConfigValidator.unreadFiles(folder.root())) {
            log.warn("[app] {}", unread.describe());
        }
        try {
            moveTo(ApplicationState.PREPARING_TOPICS);
            topicReport = topics.prepare(config);
            logTopicReport(topicReport);

            moveTo(ApplicationState.STARTING_PARTS);
            for (PartKind kind : PartKind.values()) {
                if (kind.enabledIn(config.parts())) {
                    startPart(kind);
                }
            }

            startQueueGauges();
            moveTo(ApplicationState.RUNNING);
            endpointUrl().ifPresent(url -> log.info("[app] running; health at {}/health", url));
        } catch (RuntimeException | Error e) {
            fail(e);
            throw e;
        } catch (Exception e) {
            fail(e);
            throw new IllegalStateException("the application could not start: " + e, e);
        }
    }

    private void startPart(PartKind kind) throws Exception {
        Part part = kind == PartKind.HTTP ? new HttpPart(endpoint, config.http()) : build(kind);
        ManagedPart managed = new ManagedPart(part);
        parts.add(managed);
        health.register(managed);
        managed.start();
    }

    private void startQueueGauges() {
        if (endpoint == null) {
            return;
        }
        queueGauges =
                new QueueGauges(
                        config,
                        telemetry.metrics(),
                        QueueGauges.Groups.of(new GroupNames(config.prefix())),
                        Duration.ofSeconds(30));
        queueGauges.start(QUEUE_GAUGE_INTERVAL);
    }

    private Part build(PartKind kind) throws Exception {
        PartContext context =
                new PartContext(folder, telemetry, health, this::mount, this::httpAddress);
        PartFactory factory =
                catalog.factory(kind)
                        .orElseThrow(() -> new IllegalStateException(catalog.whyUnavailable(kind)));
        return factory.create(context);
    }

    private AutoCloseable mount(String path, dev.fraiseql.observers.streams.http.Handler handler) {
        if (endpoint == null) {
            log.debug("[app] HTTP endpoint is switched off; {} is not served", path);
            return () -> {};
        }
        return endpoint.mount(path, handler);
    }

    /**
     * The endpoint's address for other instances: the configured host, or this machine's name when
     * the endpoint listens on every interface.
     */
    private Optional<InetSocketAddress> httpAddress() {
        if (endpoint == null
                || !partState(PartKind.HTTP.key()).equals(Optional.of(PartState.RUNNING))) {
            return Optional.empty();
        }
        String host = config.http().host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            String name = System.getenv("HOSTNAME");
            if (name == null || name.isBlank()) {
                try {
                    name = InetAddress.getLocalHost().getHostName();
                } catch (UnknownHostException e) {
                    name = "localhost";
                }
            }
            host = name;
        }
        return Optional.of(InetSocketAddress.createUnresolved(host, endpoint.port()));
    }

    private void fail(Throwable cause) {
        log.error("[app] start failed; closing the parts already started", cause);
        if (state.canMoveTo(ApplicationState.FAILED)) {
            moveTo(ApplicationState.FAILED);
        }
        close();
    }

    /**
     * Stops the parts in reverse start order within {@code shutdown.timeout}: the worker finishes
     * its in-flight jobs and commits, then the topology, the connectors, and the HTTP endpoint
     * close. Safe to call more than once and from a shutdown hook.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (!state.canMoveTo(ApplicationState.STOPPING)) {
                return;
            }
            moveTo(ApplicationState.STOPPING);
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        for (int i = parts.size() - 1; i >= 0; i--) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            parts.get(i).close(left);
        }
        if (queueGauges != null) {
            queueGauges.close();
        }
        try {
            telemetry.close();
        } catch (RuntimeException e) {
            log.warn("[app] metrics registry did not close cleanly; continuing", e);
        }
        moveTo(ApplicationState.STOPPED);
        stopped.countDown();
    }

    /** Waits until {@link #close()} has finished; true when it did within the timeout. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The application's lifecycle state. */
    public ApplicationState state() {
        return state;
    }

    /** The state of a part, when it was started. */
    public Optional<PartState> partState(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).map(p -> p.state).findFirst();
    }

    /** The HTTP endpoint's base URL once it listens. */
    public Optional<String> endpointUrl() {
        return endpoint == null
                        || !partState(PartKind.HTTP.key()).equals(Optional.of(PartState.RUNNING))
                ? Optional.empty()
                : Optional.of(endpoint.baseUrl());
    }

    /** What the topic step found and created on start; empty before it ran. */
    public Optional<TopicManager.Report> topicReport() {
        return Optional.ofNullable(topicReport);
    }

    /** The health of the application and its parts, as {@code /health} serves it. */
    public HealthRegistry.Report health() {
        return health.report();
    }

    /** The metrics and registry, for tests and embedding. */
    public Telemetry telemetry() {
        return telemetry;
    }

    private synchronized void moveTo(ApplicationState target) {
        if (!state.canMoveTo(target)) {
            throw new IllegalStateException(
                    "the application cannot go from " + state + " to " + target);
        }
        log.info("[app] {} -> {}", state, target);
        state = target;
    }

    private static void logTopicReport(TopicManager.Report report) {
        log.info(
                "[app] topics: {} created, {} mismatched (reported, not changed)",
                report.created().size(),
                report.mismatches().size());
    }

    /** The application's own entry in {@code /health}. */
    private final class ApplicationHealth implements HealthContributor {
        @Override
        public String name() {
            return "application";
        }

        @Override
        public Health health() {
            ApplicationState current = state;
            return switch (current) {
                case RUNNING -> Health.ready(current.name());
                case FAILED -> Health.failed(current.name(), "start failed; see the log");
                default -> Health.notReady(current.name(), "the application is " + current);
            };
        }
    }

    /** A part with its lifecycle state, which its health reflects. */
    private static final class ManagedPart implements HealthContributor {
        private final Part part;
        private volatile PartState state = PartState.NEW;
        private volatile String failure = "";

        ManagedPart(Part part) {
            this.part = part;
        }

        @Override
        public String name() {
            return part.name();
        }

        void start() throws Exception {
            moveTo(PartState.STARTING);
            try {
                part.start();
            } catch (Exception | Error e) {
                failure = "start failed: " + e.getClass().getSimpleName();
                moveTo(PartState.FAILED);
                throw e;
            }
            moveTo(PartState.RUNNING);
        }

        void close(Duration timeout) {
            if (!state.canMoveTo(PartState.STOPPING)) {
                return;
            }
            moveTo(PartState.STOPPING);
            try {
                part.close(timeout);
                log.info("[{}] closed", part.name());
            } catch (Exception e) {
                log.warn("[{}] did not close cleanly; closing the other parts", part.name(), e);
            } catch (Error e) {
                log.error("[{}] close threw; closing the other parts", part.name(), e);
            }
            moveTo(PartState.STOPPED);
        }

        @Override
        public Health health() {
            PartState current = state;
            return switch (current) {
                case RUNNING -> part.health();
                case FAILED -> Health.failed(current.name(), failure);
                default -> Health.notReady(current.name(), part.name() + " is " + current);
            };
        }

        private synchronized void moveTo(PartState target) {
            if (!state.canMoveTo(target)) {
                throw new IllegalStateException(
                        part.name() + " cannot go from " + state + " to " + target);
            }
            log.info("[{}] {} -> {}", part.name(), state, target);
            state = target;
        }
    }
}
