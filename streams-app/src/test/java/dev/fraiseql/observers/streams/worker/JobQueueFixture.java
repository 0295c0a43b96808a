package dev.fraiseql.observers.streams.worker;

import dev.fraiseql.observers.core.action.ActionRunner;
import dev.fraiseql.observers.core.action.ActionSpec;
import dev.fraiseql.observers.core.action.LogExecutor;
import dev.fraiseql.observers.core.action.WebhookExecutor;
import dev.fraiseql.observers.core.retry.RetryPolicy;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.JobOutcome;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The pieces of a job-queue test: a prefix of its own on the shared broker, jobs in, records out.
 */
final class JobQueueFixture {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String OBSERVER = "rental-returned";

    final KafkaHarness kafka = Harnesses.kafka();
    final String prefix = kafka.uniqueName("jq").replace('-', '_');

    /** A webhook action to a URL, 1 s doubling, the given attempts, 10% jitter. */
    static ActionSpec webhook(String url, int maxAttempts) {
        return new ActionSpec(
                "webhook",
                Map.of("url", url, "secret", SECRET, "timeout", "5s"),
                new RetryPolicy(
                        maxAttempts, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0.1));
    }

    Properties kafkaProperties() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", kafka.bootstrapServers());
        return properties;
    }

    /** A started worker over one webhook action (catalog: observer {@value #OBSERVER}, index 0). */
    JobWorker startWorker(ActionSpec spec, String instanceId) {
        return startWorker(Map.of(OBSERVER, List.of(spec)), instanceId);
    }

    /** A started worker over the given actions of each observer. */
    JobWorker startWorker(Map<String, List<ActionSpec>> actionsByObserver, String instanceId) {
        return startWorker(actionsByObserver, instanceId, Map.of());
    }

    /** A started worker with Kafka client settings of its own on top of the broker address. */
    JobWorker startWorker(
            Map<String, List<ActionSpec>> actionsByObserver,
            String instanceId,
            Map<String, String> clientSettings) {
        ActionCatalog catalog = ActionCatalog.of(actionsByObserver);
        ActionRunner runner =
                new ActionRunner(
                        List.of(new WebhookExecutor(Clock.systemUTC()), new LogExecutor()),
                        ActionRunner.Limits.DEFAULT);
        JobWorker.Settings settings =
                JobWorker.Settings.defaults(prefix, instanceId).withTopics(1, (short) 1);
        Properties kafka = kafkaProperties();
        kafka.putAll(clientSettings);
        JobWorker worker =
                new JobWorker(
                        kafka,
                        catalog,
                        runner,
                        Clock.systemUTC(),
                        new SimpleMeterRegistry(),
                        settings);
        worker.start();
        return worker;
    }

    /** Creates the job topics of a worker over this action, as a worker would on start. */
    void createTopics(ActionSpec spec) {
        JobTopics topics = JobTopics.of(prefix, List.of(spec.retry()));
        try (org.apache.kafka.clients.admin.Admin admin =
                org.apache.kafka.clients.admin.Admin.create(kafka.adminProperties())) {
            admin.createTopics(topics.declarations(1, (short) 1)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the job topics of " + prefix, e);
        }
    }

    /** Writes jobs to {@code <prefix>.jobs}, keyed by their event key. */
    void send(Job... jobs) {
        Properties properties = kafkaProperties();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Job job : jobs) {
                byte[] key =
                        job.getEvent()
                                .getEntity()
                                .concat(":")
                                .concat(job.getJobId())
                                .getBytes(StandardCharsets.UTF_8);
                producer.send(
                        new ProducerRecord<>(
                                prefix + ".jobs",
                                key,
                                ObserverSerdes.job()
                                        .serializer()
                                        .serialize(prefix + ".jobs", job)));
            }
            producer.flush();
        }
    }

    /** Every committed record of a topic so far (single partition), with headers as text. */
    List<Received> readAll(String topic) {
        Properties properties = kafkaProperties();
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        List<Received> received = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    Map<String, String> headers = new HashMap<>();
                    for (Header header : record.headers()) {
                        headers.put(
                                header.key(), new String(header.value(), StandardCharsets.UTF_8));
                    }
                    received.add(new Received(record.key(), record.value(), headers));
                }
            }
        }
        return received;
    }

    /** The outcomes written so far, in order. */
    List<JobOutcome> outcomes() {
        return readAll(prefix + ".jobs.outcomes").stream()
                .map(r -> ObserverSerdes.jobOutcome().deserializer().deserialize("t", r.value()))
                .toList();
    }

    /** The dead-lettered jobs so far, with their headers. */
    List<Received> deadLetters() {
        return readAll(prefix + ".jobs.dlq");
    }

    /** One record read back. */
    record Received(byte[] key, byte[] value, Map<String, String> headers) {
        Job job() {
            return ObserverSerdes.job().deserializer().deserialize("t", value);
        }
    }
}
