package dev.fraiseql.observers.ops.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.observer.JobIds;
import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.JobOutcome;
import dev.fraiseql.observers.schemas.JobStatus;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code observers replay events} against the real broker. */
class ReplayEventsIT {
    /** The window starts here; two events are written an hour before it. */
    private static final Instant FROM = Instant.parse("2026-12-04T09:00:00Z");

    private static final String OBSERVERS =
            "observers:\n"
                    + "  - name: any-payment\n"
                    + "    entity: public.payment\n"
                    + "    on: [create]\n"
                    + "    actions:\n"
                    + "      - log: {}\n"
                    + "      - log: {}\n"
                    + "  - name: customer-watch\n"
                    + "    entity: public.payment\n"
                    + "    on: [create]\n"
                    + "    when: after.customer_id == 1\n"
                    + "    actions:\n"
                    + "      - log: {}\n"
                    + "  - name: rental-watch\n"
                    + "    entity: public.rental\n"
                    + "    on: [create]\n"
                    + "    actions:\n"
                    + "      - log: {}\n";

    private final KafkaHarness kafka = Harnesses.kafka();

    /** Payments 1..6 of customers 1,1,2,3,1,2 in the window, and payments 7, 8 an hour before. */
    private List<ChangeEvent> writeEvents(String topic) {
        long[] customers = {1, 1, 2, 3, 1, 2, 1, 1};
        List<ChangeEvent> events = new java.util.ArrayList<>();
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, ChangeEvent> producer =
                new KafkaProducer<>(
                        properties,
                        new StringSerializer(),
                        ObserverSerdes.changeEvent().serializer())) {
            for (int i = 0; i < customers.length; i++) {
                long paymentId = i + 1;
                ChangeEvent event = OpsFixtures.paymentCreated(paymentId, customers[i], "4.99");
                long timestamp =
                        paymentId <= 6
                                ? FROM.plusSeconds(paymentId).toEpochMilli()
                                : FROM.minusSeconds(3600).toEpochMilli();
                producer.send(
                        new ProducerRecord<>(
                                topic, null, timestamp, "public.payment|" + paymentId, event));
                events.add(event);
            }
        }
        return events;
    }

    private void writeOutcome(String topic, String jobId, JobStatus status) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, JobOutcome> producer =
                new KafkaProducer<>(
                        properties,
                        new StringSerializer(),
                        ObserverSerdes.jobOutcome().serializer())) {
            producer.send(
                    new ProducerRecord<>(
                            topic,
                            jobId,
                            JobOutcome.newBuilder()
                                    .setJobId(jobId)
                                    .setObserver("customer-watch")
                                    .setActionType("log")
                                    .setStatus(status)
                                    .setAttempts(1)
                                    .setCompletedAtMs(FROM.toEpochMilli())
                                    .build()));
        }
    }

    @Test
    void dryRunCountsPerObserverAndQueuesNothing(@TempDir Path dir) throws Exception {
        String prefix = kafka.uniqueName("replayev");
        kafka.createTopics(
                2, List.of(prefix + ".events", prefix + ".jobs", prefix + ".jobs.outcomes"));
        Path folder = OpsFixtures.configFolder(dir, kafka, prefix, OBSERVERS);
        List<ChangeEvent> events = writeEvents(prefix + ".events");
        // Payment 2's customer-watch job was delivered; payment 5's only scheduled for a retry.
        writeOutcome(
                prefix + ".jobs.outcomes",
                JobIds.of(events.get(1).getEventId(), "customer-watch", 0),
                JobStatus.DELIVERED);
        writeOutcome(
                prefix + ".jobs.outcomes",
                JobIds.of(events.get(4).getEventId(), "customer-watch", 0),
                JobStatus.RETRY_SCHEDULED);

        OpsFixtures.Run run =
                OpsFixtures.run(
                        new ReplayCommand(),
                        "events",
                        "--from",
                        FROM.toString(),
                        "--dry-run",
                        "--config",
                        folder.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .isEqualTo(
                        "any-payment: 12 job(s) would fire, 0 already delivered (skipped)\n"
                                + "customer-watch: 2 job(s) would fire, 1 already delivered"
                                + " (skipped)\n"
                                + "dry run: 6 event(s) read, 14 job(s) would be queued on "
                                + prefix
                                + ".jobs, 1 already delivered; nothing was queued\n");
        assertThat(OpsFixtures.readJobs(kafka, prefix + ".jobs")).isEmpty();
    }

    @Test
    void replayAfterAnObserverChangeQueuesExactlyTheJobsOfTheNewRule(@TempDir Path dir)
            throws Exception {
        String prefix = kafka.uniqueName("replayev");
        kafka.createTopics(
                2, List.of(prefix + ".events", prefix + ".jobs", prefix + ".jobs.outcomes"));
        Path folder = OpsFixtures.configFolder(dir, kafka, prefix, OBSERVERS);
        List<ChangeEvent> events = writeEvents(prefix + ".events");
        Path file = folder.resolve("observers/payments.yaml");
        Files.writeString(
                file,
                Files.readString(file).replace("after.customer_id == 1", "after.customer_id == 2"));

        OpsFixtures.Run run =
                OpsFixtures.run(
                        new ReplayCommand(),
                        "events",
                        "--from",
                        FROM.toString(),
                        "--to",
                        FROM.plusSeconds(3600).toString(),
                        "--entity",
                        "public.payment",
                        "--observer",
                        "customer-watch",
                        "--config",
                        folder.toString());

        List<ConsumerRecord<String, Job>> queued = OpsFixtures.readJobs(kafka, prefix + ".jobs");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .isEqualTo(
                        "customer-watch: 2 job(s) queued, 0 already delivered (skipped)\n"
                                + "6 event(s) read, 2 job(s) queued on "
                                + prefix
                                + ".jobs, 0 already delivered (skipped)\n");
        assertThat(queued)
                .extracting(r -> r.value().getJobId())
                .containsExactlyInAnyOrder(
                        JobIds.of(events.get(2).getEventId(), "customer-watch", 0),
                        JobIds.of(events.get(5).getEventId(), "customer-watch", 0));
        assertThat(queued)
                .extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("public.payment|3", "public.payment|6");
        assertThat(queued)
                .allSatisfy(
                        r -> {
                            assertThat(r.value().getObserver()).isEqualTo("customer-watch");
                            assertThat(r.value().getAttempt()).isEqualTo(1);
                        });
    }

    @Test
    void unknownObserverIsRejectedWithItsName(@TempDir Path dir) throws Exception {
        String prefix = kafka.uniqueName("replayev");
        Path folder = OpsFixtures.configFolder(dir, kafka, prefix, OBSERVERS);

        OpsFixtures.Run run =
                OpsFixtures.run(
                        new ReplayCommand(),
                        "events",
                        "--from",
                        "2h",
                        "--observer",
                        "custmer-watch",
                        "--config",
                        folder.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no observer named 'custmer-watch' in ");
    }
}
