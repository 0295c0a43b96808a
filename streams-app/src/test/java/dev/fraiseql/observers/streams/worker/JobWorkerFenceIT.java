package dev.fraiseql.observers.streams.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fraiseql.observers.core.config.app.GroupNames;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.JobOutcome;
import dev.fraiseql.observers.schemas.JobStatus;
import dev.fraiseql.observers.testing.SampleJobs;
import dev.fraiseql.observers.testing.WebhookReceiver;
import dev.fraiseql.observers.testing.WebhookReceiver.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker whose producer is fenced, which is what the broker does to a transaction that outlived
 * {@code transaction.timeout.ms} (a broker outage longer than a minute): the worker starts a new
 * producer and writes the finished jobs' outcomes once, instead of stopping for good. Here the
 * fence comes from a second producer that claims the worker's transactional id, which fences the
 * same way and at a moment the test chooses.
 */
class JobWorkerFenceIT {
    private final JobQueueFixture fixture = new JobQueueFixture();
    private final WebhookReceiver receiver = WebhookReceiver.start();
    private JobWorker worker;

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close(Duration.ofSeconds(5));
        }
        receiver.close();
    }

    private JobWorker startWorker(String instanceId) {
        return fixture.startWorker(
                Map.of(
                        JobQueueFixture.OBSERVER,
                        List.of(JobQueueFixture.webhook(receiver.url("/rentals").toString(), 3))),
                instanceId,
                Map.of("max.block.ms", "5000"));
    }

    /** Takes the worker's transactional id, as a restarted instance or the broker would. */
    private void fence(String instanceId) {
        Properties properties = fixture.kafkaProperties();
        properties.put(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                new GroupNames(fixture.prefix).worker() + "-" + instanceId);
        try (KafkaProducer<byte[], byte[]> usurper =
                new KafkaProducer<>(
                        properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            usurper.initTransactions();
        }
    }

    private List<Job> jobs(String prefix, int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(i -> SampleJobs.rentalReturned(prefix + i, 5000 + i))
                .toList();
    }

    private Map<String, Long> deliveredOutcomesPerJob() {
        return fixture.outcomes().stream()
                .filter(o -> o.getStatus() == JobStatus.DELIVERED)
                .collect(Collectors.groupingBy(JobOutcome::getJobId, Collectors.counting()));
    }

    @Test
    void a_fenced_worker_starts_a_new_producer_and_writes_each_outcome_once() {
        receiver.respondWith(request -> Response.status(200).after(Duration.ofMillis(150)));
        worker = startWorker("fenced-1");
        List<Job> first = jobs("job-f", 0, 30);
        fixture.send(first.toArray(Job[]::new));
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.requests().size() >= 5);

        fence("fenced-1");

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> deliveredOutcomesPerJob().size() == 30);
        // Jobs sent after the fence go through the new producer.
        fixture.send(jobs("job-f", 30, 10).toArray(Job[]::new));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> deliveredOutcomesPerJob().size() == 40);

        Map<String, Long> outcomes = deliveredOutcomesPerJob();
        assertThat(worker.state()).isEqualTo(JobWorker.State.RUNNING);
        assertThat(outcomes.keySet())
                .isEqualTo(
                        IntStream.range(0, 40)
                                .mapToObj(i -> "job-f" + i)
                                .collect(Collectors.toSet()));
        // The aborted transaction's outcomes are invisible; the rewritten ones appear once.
        assertThat(outcomes.values()).containsOnly(1L);
        assertThat(fixture.deadLetters()).isEmpty();
        Set<String> delivered =
                receiver.requests().stream()
                        .map(r -> r.header("webhook-id").orElseThrow())
                        .collect(Collectors.toSet());
        assertThat(delivered).isEqualTo(outcomes.keySet());
    }

    @Test
    void a_worker_fenced_a_fourth_time_within_ten_minutes_stops_instead_of_fighting_over_its_id() {
        receiver.respondWith(request -> Response.status(200));
        worker = startWorker("fenced-2");
        int sent = 0;
        for (int fence = 1; fence <= 3; fence++) {
            fixture.send(jobs("job-g", sent, 10).toArray(Job[]::new));
            sent += 10;
            int expected = sent;
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> deliveredOutcomesPerJob().size() == expected);
            fence("fenced-2");
            fixture.send(jobs("job-g", sent, 1).toArray(Job[]::new));
            sent += 1;
            int afterFence = sent;
            // The next commit meets the fence; a new producer then commits the job.
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> deliveredOutcomesPerJob().size() == afterFence);
            assertThat(worker.state())
                    .as("after fence %d", fence)
                    .isEqualTo(JobWorker.State.RUNNING);
        }

        fence("fenced-2");
        fixture.send(jobs("job-g", sent, 1).toArray(Job[]::new));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> worker.state() == JobWorker.State.FAILED);
        assertThat(deliveredOutcomesPerJob()).hasSize(sent);
    }
}
