package dev.fraiseql.observers.ops.bench;

import dev.fraiseql.observers.core.config.app.TopicNames;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import dev.fraiseql.observers.streams.app.ObserversApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retry accuracy: {@code jobs} jobs whose webhook fails once and is retried after exactly 1 s (no
 * jitter), each beside three jobs that are delivered at once to the same host (see {@link
 * BenchObservers#oneInFourRetried}). The topology and the worker run in one application over change
 * records written to the change topic up front, so the jobs fail together and fall due together,
 * the worker's hardest case.
 *
 * <p>The error of a retry is the receiver's clock when the second attempt arrives minus the due
 * time the worker wrote into the job on {@code <prefix>.jobs.retry.1s}.
 */
final class RetryBenchmark {
    private static final Logger log = LoggerFactory.getLogger(RetryBenchmark.class);
    private static final String CONNECTOR = "retrydb";
    private static final String PREFIX = "retry";

    private final BenchTopics topics;
    private final Path root;
    private final OptionalInt workerConcurrency;

    RetryBenchmark(BenchTopics topics, Path root, OptionalInt workerConcurrency) {
        this.topics = topics;
        this.root = root;
        this.workerConcurrency = workerConcurrency;
    }

    /** Runs {@code jobs} failing jobs, their changes written at {@code perSecond} changes/s. */
    List<Figure> run(int jobs, int perSecond) throws Exception {
        String topic = RentalChanges.topic(CONNECTOR);
        topics.create(topic, Map.of());
        RentalChanges changes = new RentalChanges(CONNECTOR, System.currentTimeMillis());

        Map<String, BenchReceiver.Arrival> retried;
        try (BenchReceiver receiver = BenchReceiver.start();
                ObserversApplication app =
                        BenchApplication.create(
                                root,
                                topics.bootstrapServers(),
                                PREFIX,
                                new BenchApplication.Parts(false, true, true),
                                BenchApplication.unusedConnector(CONNECTOR),
                                BenchObservers.oneInFourRetried(
                                        receiver.failOnceUrl(), receiver.deliverUrl()),
                                workerConcurrency)) {
            app.start();
            topics.pace(topic, jobs, perSecond, changes::key, changes::value);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (receiver.retried().size() < jobs) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "only "
                                    + receiver.retried().size()
                                    + " of "
                                    + jobs
                                    + " jobs were retried within 5 minutes; see the log");
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            retried = new HashMap<>(receiver.retried());
        }

        Map<String, Long> dueMs = dueTimes(new TopicNames(PREFIX).jobsRetry(Duration.ofSeconds(1)));
        Histogram errors = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        long early = 0;
        for (Map.Entry<String, BenchReceiver.Arrival> job : retried.entrySet()) {
            Long due = dueMs.get(job.getKey());
            if (due == null) {
                throw new IllegalStateException(
                        "job " + job.getKey() + " was retried but is not on the retry topic");
            }
            long errorMicros = job.getValue().deliveredMicros() - due * 1000;
            if (errorMicros < 0) {
                early++;
            }
            errors.recordValue(Math.max(0, errorMicros));
        }
        log.info(
                "retry: {} jobs retried, {} before their due time; error p50 {} us, p90 {} us,"
                        + " p99 {} us, max {} us",
                retried.size(),
                early,
                errors.getValueAtPercentile(50),
                errors.getValueAtPercentile(90),
                errors.getValueAtPercentile(99),
                errors.getMaxValue());
        if (early > 0) {
            throw new IllegalStateException(early + " jobs were retried before they were due");
        }
        return List.of(
                new Figure("retry_error_p50_ms", errors.getValueAtPercentile(50) / 1000.0, "ms"),
                new Figure("retry_error_p99_ms", errors.getValueAtPercentile(99) / 1000.0, "ms"));
    }

    /** The due time of every job on the retry topic, by job id. */
    private Map<String, Long> dueTimes(String retryTopic) {
        Map<String, Long> due = new HashMap<>();
        TopicPartition partition = new TopicPartition(retryTopic, 0);
        Deserializer<Job> reader = ObserverSerdes.job().deserializer();
        try (KafkaConsumer<byte[], byte[]> consumer = topics.consumer("read_committed")) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    Job job = reader.deserialize(retryTopic, record.value());
                    due.put(job.getJobId(), job.getDueAtMs());
                }
            }
        }
        return due;
    }
}
