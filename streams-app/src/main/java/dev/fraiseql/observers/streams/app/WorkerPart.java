package dev.fraiseql.observers.streams.app;

import dev.fraiseql.observers.core.action.ActionExecutor;
import dev.fraiseql.observers.core.action.ActionRunner;
import dev.fraiseql.observers.core.action.EmailExecutor;
import dev.fraiseql.observers.core.action.KafkaPublishExecutor;
import dev.fraiseql.observers.core.action.LogExecutor;
import dev.fraiseql.observers.core.action.SearchExecutor;
import dev.fraiseql.observers.core.action.SlackExecutor;
import dev.fraiseql.observers.core.action.WebhookExecutor;
import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import dev.fraiseql.observers.core.config.app.ObserverTopic;
import dev.fraiseql.observers.core.config.app.TopicSettings;
import dev.fraiseql.observers.core.metrics.ObserverMetrics;
import dev.fraiseql.observers.core.observer.ObserverRegistry;
import dev.fraiseql.observers.streams.http.Health;
import dev.fraiseql.observers.streams.worker.ActionCatalog;
import dev.fraiseql.observers.streams.worker.JobWorker;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The job worker as a part: it runs the actions of the jobs on {@code <prefix>.jobs} and the retry
 * topics with every action type of the product, finding each job's action in the shared observers.
 *
 * <p>The worker's transactional id ends with this instance's id: the {@code HOSTNAME} environment
 * variable (a pod's name on Kubernetes, stable across restarts) or {@code local}. Two processes
 * with the same prefix and the same id fence each other until one of them stops; give each worker
 * instance its own host name.
 */
final class WorkerPart implements Part {
    private final PartContext context;
    private final SharedObservers observers;
    private JobWorker worker;

    WorkerPart(PartContext context, SharedObservers observers) {
        this.context = context;
        this.observers = observers;
    }

    @Override
    public String name() {
        return PartKind.WORKER.key();
    }

    @Override
    public void start() throws IOException {
        ApplicationConfig config = context.config();
        ObserverRegistry registry = observers.acquire(context.folder().observersDir());
        Clock clock = Clock.systemUTC();
        List<ActionExecutor> executors =
                List.of(
                        new WebhookExecutor(clock),
                        new SlackExecutor(clock),
                        new EmailExecutor(config.workerConcurrency()),
                        new SearchExecutor(clock),
                        new KafkaPublishExecutor(config.kafkaProperties()),
                        new LogExecutor());
        ActionRunner runner =
                new ActionRunner(
                        executors,
                        ActionRunner.Limits.withConcurrency(config.workerConcurrency()),
                        new ObserverMetrics(context.telemetry().registry()));
        TopicSettings jobs = config.topic(ObserverTopic.JOBS);
        JobWorker.Settings settings =
                JobWorker.Settings.defaults(config.prefix(), instanceId())
                        .withTopics(jobs.partitions(), jobs.replication());
        worker =
                new JobWorker(
                        config.kafkaProperties(),
                        ActionCatalog.live(registry),
                        runner,
                        clock,
                        context.telemetry().registry(),
                        settings);
        worker.start();
    }

    @Override
    public Health health() {
        JobWorker.State state = worker.state();
        return switch (state) {
            case RUNNING ->
                    worker.isAssigned()
                            ? Health.ready(state.name())
                            : Health.notReady(
                                    "WAITING_FOR_PARTITIONS", "the worker has no partitions yet");
            case FAILED -> Health.failed(state.name(), "the job worker stopped; see the log");
            default -> Health.notReady(state.name(), "the job worker is " + state);
        };
    }

    @Override
    public void close(Duration timeout) {
        try {
            if (worker != null) {
                worker.close(timeout);
            }
        } finally {
            observers.release();
        }
    }

    private static String instanceId() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "local" : host;
    }
}
