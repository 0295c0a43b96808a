package dev.fraiseql.observers.core.action;

import dev.fraiseql.observers.schemas.Job;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes the job's JSON document ({@link EventJson#jobDocument}) to a Kafka topic, keyed by the
 * event's primary key (as JSON), with the job id in the {@code job-id} header so consumers can drop
 * repeats.
 *
 * <p>Options: {@code topic} (required). The producer is the product's own (its {@code kafka:}
 * settings), idempotent; a retriable Kafka error is a retriable outcome.
 */
public final class KafkaPublishExecutor implements ActionExecutor {
    private final Producer<byte[], byte[]> producer;
    private final Map<Map<String, Object>, String> topics = new ConcurrentHashMap<>();

    /** An executor with a producer built from the product's Kafka client settings. */
    public KafkaPublishExecutor(Properties kafkaProperties) {
        this(newProducer(kafkaProperties));
    }

    /** An executor over a given producer (closed by {@link #close()}). */
    public KafkaPublishExecutor(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    private static Producer<byte[], byte[]> newProducer(Properties kafkaProperties) {
        Properties properties = new Properties();
        properties.putAll(kafkaProperties);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "observers-kafka-action");
        return new KafkaProducer<>(
                properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public String type() {
        return "kafka";
    }

    @Override
    public List<String> validate(Map<String, Object> options) {
        return optionProblems(options);
    }

    /**
     * The problems of a kafka action's options, checked without a producer, so that a config check
     * holds the options to the same rules as a running executor without connecting to a broker.
     */
    public static List<String> optionProblems(Map<String, Object> options) {
        OptionReader reader = new OptionReader("kafka", options);
        read(reader);
        return reader.problems();
    }

    @Override
    public Optional<String> targetHost(ActionSpec spec) {
        return Optional.empty();
    }

    @Override
    public CompletionStage<ActionOutcome> execute(Job job, ActionSpec spec) {
        String topic;
        try {
            topic = topics.computeIfAbsent(spec.options(), KafkaPublishExecutor::parse);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(
                    ActionOutcome.permanent(null, "invalid-options", e.getMessage()));
        }

        var document = EventJson.jobDocument(job);
        byte[] key =
                EventJson.text(document.get("event").get("key")).getBytes(StandardCharsets.UTF_8);
        byte[] value = EventJson.text(document).getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key, value);
        record.headers().add("job-id", job.getJobId().getBytes(StandardCharsets.UTF_8));

        CompletableFuture<ActionOutcome> outcome = new CompletableFuture<>();
        try {
            producer.send(
                    record,
                    (metadata, error) ->
                            outcome.complete(
                                    error == null ? ActionOutcome.success(null) : classify(error)));
        } catch (RuntimeException e) {
            outcome.complete(classify(e));
        }
        return outcome;
    }

    private static ActionOutcome classify(Throwable error) {
        String message = error.getClass().getSimpleName() + ": " + error.getMessage();
        return error instanceof RetriableException
                ? ActionOutcome.retriable(null, "kafka", message)
                : ActionOutcome.permanent(null, "kafka", message);
    }

    private static String parse(Map<String, Object> options) {
        OptionReader reader = new OptionReader("kafka", options);
        String topic = read(reader);
        reader.throwIfInvalid();
        return topic;
    }

    private static String read(OptionReader reader) {
        String topic = reader.requiredString("topic", "rentals.returned");
        reader.rejectUnknown();
        return topic;
    }

    @Override
    public void close() {
        producer.close();
    }
}
