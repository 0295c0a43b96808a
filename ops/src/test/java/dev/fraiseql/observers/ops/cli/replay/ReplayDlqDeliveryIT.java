package dev.fraiseql.observers.ops.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fraiseql.observers.core.action.ActionRunner;
import dev.fraiseql.observers.core.action.ActionSpec;
import dev.fraiseql.observers.core.action.LogExecutor;
import dev.fraiseql.observers.core.action.WebhookExecutor;
import dev.fraiseql.observers.core.retry.RetryPolicy;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import dev.fraiseql.observers.streams.worker.ActionCatalog;
import dev.fraiseql.observers.streams.worker.JobWorker;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import dev.fraiseql.observers.testing.SampleJobs;
import dev.fraiseql.observers.testing.WebhookReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole recovery path: the real job worker dead-letters three jobs that a loopback receiver
 * refuses, the receiver is fixed, and two {@code replay dlq} runs at the same time bring each job
 * to it exactly once more, with its original {@code webhook-id}.
 */
class ReplayDlqDeliveryIT {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private final KafkaHarness kafka = Harnesses.kafka();

    @Test
    void concurrentReplaysDeliverEachDeadLetteredJobOnceWithItsWebhookId(@TempDir Path dir)
            throws Exception {
        String prefix = kafka.uniqueName("replaywh").replace('-', '_');
        Path folder =
                OpsFixtures.configFolder(
                        dir,
                        kafka,
                        prefix,
                        "observers:\n  - name: rental-returned\n    entity: public.rental\n"
                                + "    on: [update]\n    actions:\n      - log: {}\n");
        AtomicBoolean failing = new AtomicBoolean(true);
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            receiver.respondWith(
                    request -> WebhookReceiver.Response.status(failing.get() ? 400 : 204));
            ActionSpec webhook =
                    new ActionSpec(
                            "webhook",
                            Map.of("url", receiver.url("/rentals").toString(), "secret", SECRET),
                            new RetryPolicy(
                                    1, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0.1));
            List<OpsFixtures.Run> runs;
            Properties kafkaProperties = new Properties();
            kafkaProperties.put("bootstrap.servers", kafka.bootstrapServers());
            try (JobWorker worker =
                    new JobWorker(
                            kafkaProperties,
                            ActionCatalog.of(Map.of("rental-returned", List.of(webhook))),
                            new ActionRunner(
                                    List.of(
                                            new WebhookExecutor(Clock.systemUTC()),
                                            new LogExecutor()),
                                    ActionRunner.Limits.DEFAULT),
                            Clock.systemUTC(),
                            new SimpleMeterRegistry(),
                            JobWorker.Settings.defaults(prefix, "w1").withTopics(2, (short) 1))) {
                worker.start();
                queue(
                        prefix + ".jobs",
                        List.of(
                                SampleJobs.rentalReturned("job_replay_1", 101),
                                SampleJobs.rentalReturned("job_replay_2", 102),
                                SampleJobs.rentalReturned("job_replay_3", 103)));
                await().atMost(Duration.ofSeconds(60))
                        .ignoreExceptions()
                        .until(() -> OpsFixtures.readJobs(kafka, prefix + ".jobs.dlq").size() == 3);
                failing.set(false);

                runs = runConcurrently(folder);

                await().atMost(Duration.ofSeconds(60))
                        .during(Duration.ofSeconds(3))
                        .until(() -> receiver.requests().size() == 6);
            }
            List<WebhookReceiver.Request> afterFix = receiver.requests().subList(3, 6);
            assertThat(runs).allSatisfy(run -> assertThat(run.exitCode()).as(run.err()).isZero());
            assertThat(afterFix)
                    .extracting(r -> r.header("webhook-id").orElse("none"))
                    .containsExactlyInAnyOrder("job_replay_1", "job_replay_2", "job_replay_3");
        }
    }

    private void queue(String topic, List<Job> jobs) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, Job> producer =
                new KafkaProducer<>(
                        properties, new StringSerializer(), ObserverSerdes.job().serializer())) {
            for (Job job : jobs) {
                producer.send(new ProducerRecord<>(topic, "public.rental|" + job.getJobId(), job));
            }
        }
    }

    private static List<OpsFixtures.Run> runConcurrently(Path folder) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<OpsFixtures.Run>> runs =
                    List.of(1, 2).stream()
                            .map(
                                    i ->
                                            CompletableFuture.supplyAsync(
                                                    () -> {
                                                        try {
                                                            start.await();
                                                        } catch (InterruptedException e) {
                                                            Thread.currentThread().interrupt();
                                                        }
                                                        return OpsFixtures.run(
                                                                new ReplayCommand(),
                                                                "dlq",
                                                                "--config",
                                                                folder.toString());
                                                    },
                                                    pool))
                            .toList();
            start.countDown();
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new))
                    .get(120, TimeUnit.SECONDS);
            return runs.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }
}
