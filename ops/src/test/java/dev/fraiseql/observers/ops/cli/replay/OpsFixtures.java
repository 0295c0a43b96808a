package dev.fraiseql.observers.ops.cli.replay;

import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.Operation;
import dev.fraiseql.observers.schemas.SourcePosition;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import dev.fraiseql.observers.schemas.values.RowCodec;
import dev.fraiseql.observers.testing.KafkaHarness;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;

/** Config folders, payment events and jobs, topic reads and command runs for the ops ITs. */
final class OpsFixtures {
    private OpsFixtures() {}

    /** One run of a command with its output captured. */
    record Run(int exitCode, String out, String err) {}

    static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    /** A config folder with application.yaml for this prefix and the given observer file. */
    static Path configFolder(Path dir, KafkaHarness kafka, String prefix, String observers)
            throws IOException {
        Files.writeString(
                dir.resolve("application.yaml"),
                "prefix: "
                        + prefix
                        + "\nkafka:\n  bootstrap.servers: "
                        + kafka.bootstrapServers()
                        + "\n");
        Files.createDirectories(dir.resolve("observers"));
        Files.writeString(dir.resolve("observers/payments.yaml"), observers);
        return dir;
    }

    /** A created payment of {@code customer} for {@code amount}, as the topology writes it. */
    static ChangeEvent paymentCreated(long paymentId, long customer, String amount) {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("payment_id", paymentId);
        after.put("customer_id", customer);
        after.put("amount", new BigDecimal(amount));
        return ChangeEvent.newBuilder()
                .setEventId("shop:public.payment:" + paymentId + ":0/" + (1000 + paymentId))
                .setConnector("shop")
                .setEntity("public.payment")
                .setOp(Operation.CREATE)
                .setKey(RowCodec.toAvro(Map.of("payment_id", paymentId)))
                .setAfter(RowCodec.toAvro(after))
                .setSource(
                        SourcePosition.newBuilder()
                                .setConnectorType("postgresql")
                                .setDatabase("shop")
                                .setCommitLsn(1000 + paymentId)
                                .setChangeLsn(1000 + paymentId)
                                .build())
                .setCommitTimeMicros(1_796_379_330_000_000L + paymentId)
                .setCaptureTimeMicros(1_796_379_330_100_000L + paymentId)
                .build();
    }

    /** A job of a webhook action after its last attempt failed with {@code status}. */
    static Job deadJob(String jobId, String observer, long paymentId, int status) {
        return Job.newBuilder()
                .setJobId(jobId)
                .setObserver(observer)
                .setActionIndex(0)
                .setActionType("webhook")
                .setEvent(paymentCreated(paymentId, 1, "9.99"))
                .setAttempt(3)
                .setCreatedAtMs(1_796_379_330_400L)
                .setFirstFailureAtMs(1_796_379_331_000L)
                .setLastFailureAtMs(1_796_379_335_000L)
                .setLastStatus(status)
                .setLastError("HTTP " + status + " from 127.0.0.1")
                .setReplayCount(0)
                .build();
    }

    /** Every committed record of a topic, from its beginning to its end now. */
    static List<ConsumerRecord<String, Job>> readJobs(KafkaHarness kafka, String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, Job>> records = new ArrayList<>();
        try (KafkaConsumer<String, Job> consumer =
                new KafkaConsumer<>(
                        properties,
                        new StringDeserializer(),
                        ObserverSerdes.job().deserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
