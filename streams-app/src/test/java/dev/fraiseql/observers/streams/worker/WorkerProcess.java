package dev.fraiseql.observers.streams.worker;

import dev.fraiseql.observers.core.action.ActionRunner;
import dev.fraiseql.observers.core.action.ActionSpec;
import dev.fraiseql.observers.core.action.WebhookExecutor;
import dev.fraiseql.observers.core.retry.RetryPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A job worker in a JVM of its own, so a test can kill it with {@code kill -9}. Arguments:
 * bootstrap servers, topic prefix, webhook URL, instance id.
 */
public final class WorkerProcess {

    private WorkerProcess() {}

    /** The policy of the killable worker's webhook: 6 attempts, 1 s doubling. */
    static ActionSpec spec(String url) {
        return new ActionSpec(
                "webhook",
                Map.of("url", url, "secret", JobQueueFixture.SECRET, "timeout", "5s"),
                new RetryPolicy(6, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0.1));
    }

    public static void main(String[] args) {
        String bootstrap = args[0];
        String prefix = args[1];
        String url = args[2];
        String instanceId = args[3];

        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", bootstrap);
        kafka.put("session.timeout.ms", "10000");
        ActionCatalog catalog =
                ActionCatalog.of(Map.of(JobQueueFixture.OBSERVER, List.of(spec(url))));
        ActionRunner runner =
                new ActionRunner(
                        List.of(new WebhookExecutor(Clock.systemUTC())),
                        new ActionRunner.Limits(64, 4, 50f, 20, Duration.ofSeconds(30)));
        JobWorker.Settings settings =
                JobWorker.Settings.defaults(prefix, instanceId)
                        .withTopics(1, (short) 1)
                        .withStaticMembership(true);
        JobWorker worker =
                new JobWorker(
                        kafka,
                        catalog,
                        runner,
                        Clock.systemUTC(),
                        new SimpleMeterRegistry(),
                        settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> worker.close(Duration.ofSeconds(5))));
        worker.start();
    }
}
