package dev.fraiseql.observers.ops.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.ops.cli.dlq.DlqCommand;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code observers replay dlq} and {@code observers dlq} against the real broker. */
class ReplayDlqIT {
    private static final String OBSERVERS =
            "observers:\n"
                    + "  - name: payment-hook\n"
                    + "    entity: public.payment\n"
                    + "    on: [create]\n"
                    + "    actions:\n"
                    + "      - log: {}\n";

    private final KafkaHarness kafka = Harnesses.kafka();

    /** Dead-letters jobs the way the worker does: in a transaction, with failure headers. */
    private void deadLetter(String topic, List<Job> jobs) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "worker-" + UUID.randomUUID());
        try (KafkaProducer<String, Job> producer =
                new KafkaProducer<>(
                        properties, new StringSerializer(), ObserverSerdes.job().serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (Job job : jobs) {
                ProducerRecord<String, Job> record =
                        new ProducerRecord<>(
                                topic, "public.payment|" + job.getEvent().getKey(), job);
                record.headers()
                        .add(
                                "observers.error.class",
                                ("http_" + job.getLastStatus()).getBytes(StandardCharsets.UTF_8));
                record.headers()
                        .add("observers.origin.topic", "x.jobs".getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.commitTransaction();
        }
    }

    @Test
    void twoConcurrentRunsRequeueEachDeadLetterOnceWithItsJobId(@TempDir Path dir)
            throws Exception {
        String prefix = kafka.uniqueName("replaydlq");
        kafka.createTopics(2, List.of(prefix + ".jobs.dlq", prefix + ".jobs"));
        Path folder = OpsFixtures.configFolder(dir, kafka, prefix, OBSERVERS);
        List<Job> dead =
                List.of(
                        OpsFixtures.deadJob("job_aaa", "payment-hook", 1, 503),
                        OpsFixtures.deadJob("job_bbb", "payment-hook", 2, 503),
                        OpsFixtures.deadJob("job_ccc", "payment-hook", 3, 500));
        deadLetter(prefix + ".jobs.dlq", dead);

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<CompletableFuture<OpsFixtures.Run>> runs;
        try {
            runs =
                    List.of(1, 2).stream()
                            .map(
                                    i ->
                                            CompletableFuture.supplyAsync(
                                                    () -> {
                                                        awaitQuietly(start);
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
        } finally {
            pool.shutdownNow();
        }

        List<ConsumerRecord<String, Job>> requeued = OpsFixtures.readJobs(kafka, prefix + ".jobs");
        assertThat(runs).allSatisfy(run -> assertThat(run.join().exitCode()).isZero());
        assertThat(requeued)
                .extracting(r -> r.value().getJobId())
                .containsExactlyInAnyOrder("job_aaa", "job_bbb", "job_ccc");
        assertThat(requeued)
                .allSatisfy(
                        r -> {
                            assertThat(r.value().getAttempt()).isEqualTo(1);
                            assertThat(r.value().getReplayCount()).isEqualTo(1);
                            assertThat(r.key()).startsWith("public.payment|");
                        });
        long replayedByBoth = runs.stream().mapToLong(run -> replayedCount(run.join().out())).sum();
        assertThat(replayedByBoth).isEqualTo(3);
        OpsFixtures.Run list =
                OpsFixtures.run(new DlqCommand(), "list", "--config", folder.toString());
        assertThat(list.out()).endsWith("0 job(s) waiting in the DLQ\n");
    }

    @Test
    void observerFilterReplaysItsJobsAndKeepsTheOthersWaiting(@TempDir Path dir) throws Exception {
        String prefix = kafka.uniqueName("replaydlq");
        kafka.createTopics(1, List.of(prefix + ".jobs.dlq", prefix + ".jobs"));
        Path folder = OpsFixtures.configFolder(dir, kafka, prefix, OBSERVERS);
        deadLetter(
                prefix + ".jobs.dlq",
                List.of(
                        OpsFixtures.deadJob("job_one", "payment-hook", 1, 503),
                        OpsFixtures.deadJob("job_two", "refund-hook", 2, 410),
                        OpsFixtures.deadJob("job_three", "payment-hook", 3, 503)));

        OpsFixtures.Run dryRun =
                OpsFixtures.run(
                        new ReplayCommand(),
                        "dlq",
                        "--observer",
                        "payment-hook",
                        "--dry-run",
                        "--config",
                        folder.toString());
        OpsFixtures.Run replay =
                OpsFixtures.run(
                        new ReplayCommand(),
                        "dlq",
                        "--observer",
                        "payment-hook",
                        "--config",
                        folder.toString());
        OpsFixtures.Run again =
                OpsFixtures.run(
                        new ReplayCommand(),
                        "dlq",
                        "--observer",
                        "payment-hook",
                        "--config",
                        folder.toString());
        OpsFixtures.Run list =
                OpsFixtures.run(new DlqCommand(), "list", "--config", folder.toString());

        assertThat(dryRun.out())
                .contains("would replay job_one observer=payment-hook action=webhook attempts=3")
                .contains("would replay job_three observer=payment-hook")
                .doesNotContain("job_two")
                .endsWith(
                        "dry run: 2 job(s) would be replayed to "
                                + prefix
                                + ".jobs; nothing was changed\n");
        assertThat(replay.out())
                .isEqualTo(
                        "replayed 2 job(s) to "
                                + prefix
                                + ".jobs; 1 not selected, kept in "
                                + prefix
                                + ".jobs.dlq\n");
        assertThat(again.out())
                .isEqualTo(
                        "replayed 0 job(s) to "
                                + prefix
                                + ".jobs; 1 not selected, kept in "
                                + prefix
                                + ".jobs.dlq\n");
        assertThat(OpsFixtures.readJobs(kafka, prefix + ".jobs"))
                .extracting(r -> r.value().getJobId())
                .containsExactly("job_one", "job_three");
        assertThat(list.out())
                .contains("job_two")
                .contains("refund-hook")
                .contains("HTTP 410 from 127.0.0.1")
                .doesNotContain("job_one")
                .endsWith("1 job(s) waiting in the DLQ\n");
    }

    @Test
    void dlqShowsEveryHeaderAndCountsPerObserverAndErrorClass(@TempDir Path dir) throws Exception {
        String prefix = kafka.uniqueName("dlqcmd");
        kafka.createTopics(1, List.of(prefix + ".jobs.dlq", prefix + ".jobs"));
        Path folder = OpsFixtures.configFolder(dir, kafka, prefix, OBSERVERS);
        deadLetter(
                prefix + ".jobs.dlq",
                List.of(
                        OpsFixtures.deadJob("job_one", "payment-hook", 1, 503),
                        OpsFixtures.deadJob("job_two", "refund-hook", 2, 410),
                        OpsFixtures.deadJob("job_three", "payment-hook", 3, 503)));

        OpsFixtures.Run show =
                OpsFixtures.run(new DlqCommand(), "show", "job_two", "--config", folder.toString());
        OpsFixtures.Run missing =
                OpsFixtures.run(
                        new DlqCommand(), "show", "job_nope", "--config", folder.toString());
        OpsFixtures.Run stats =
                OpsFixtures.run(new DlqCommand(), "stats", "--config", folder.toString());

        assertThat(show.exitCode()).isZero();
        assertThat(show.out())
                .contains("job id:         job_two\n")
                .contains("observer:       refund-hook\n")
                .contains("action:         0 (webhook)\n")
                .contains("event:          shop:public.payment:2:0/1002\n")
                .contains("attempts:       3\n")
                .contains("last status:    410\n")
                .contains("error class:    http_410\n")
                .contains("first failure:  2026-12-04T10:15:31Z\n")
                .contains("dlq position:   partition 0, offset 1\n")
                .contains("  observers.error.class: http_410\n")
                .contains("  observers.origin.topic: x.jobs\n");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.out()).isEqualTo("no job job_nope is waiting in the DLQ\n");
        assertThat(stats.out())
                .isEqualTo(
                        "by observer:\n"
                                + String.format("  %-32s %d%n", "payment-hook", 2)
                                + String.format("  %-32s %d%n", "refund-hook", 1)
                                + "by error class:\n"
                                + String.format("  %-32s %d%n", "http_410", 1)
                                + String.format("  %-32s %d%n", "http_503", 2)
                                + "3 job(s) waiting in the DLQ\n");
    }

    private static long replayedCount(String out) {
        java.util.regex.Matcher matcher =
                java.util.regex.Pattern.compile("replayed (\\d+) job").matcher(out);
        assertThat(matcher.find()).as(out).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
