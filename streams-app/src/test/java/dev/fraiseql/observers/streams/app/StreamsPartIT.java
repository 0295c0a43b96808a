package dev.fraiseql.observers.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import dev.fraiseql.observers.core.config.app.ApplicationConfigLoader;
import dev.fraiseql.observers.streams.http.Health;
import dev.fraiseql.observers.streams.http.Telemetry;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Streams topology run as a part on the real broker. */
class StreamsPartIT {
    private final KafkaHarness kafka = Harnesses.kafka();

    @Test
    void healthFollowsTheStreamsStateAndMetricsAreExported(@TempDir Path dir) {
        String prefix = kafka.uniqueName("streams");
        kafka.createTopics(prefix + ".in", prefix + ".out");
        ApplicationConfig config =
                new ApplicationConfigLoader(EnvExpander.of(Map.of()))
                        .parse(
                                "prefix: "
                                        + prefix
                                        + "\nkafka: {bootstrap.servers: '"
                                        + kafka.bootstrapServers()
                                        + "'}\n",
                                "application.yaml",
                                dir);
        Properties properties = StreamsPart.streamsProperties(config, "topology");
        Telemetry telemetry = new Telemetry();
        StreamsPart part =
                new StreamsPart(
                        "topology",
                        () -> {
                            StreamsBuilder builder = new StreamsBuilder();
                            builder.stream(
                                            prefix + ".in",
                                            Consumed.with(Serdes.String(), Serdes.String()))
                                    .to(
                                            prefix + ".out",
                                            Produced.with(Serdes.String(), Serdes.String()));
                            return builder.build();
                        },
                        properties,
                        telemetry);
        assertThat(part.health())
                .isEqualTo(Health.notReady("NOT_STARTED", "Kafka Streams is not started"));

        part.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> part.health().isReady());
        String scrape = telemetry.scrape();
        part.close(Duration.ofSeconds(30));

        assertThat(properties)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, prefix + "-topology")
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString())
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2");
        assertThat(scrape).contains("kafka_stream_");
        assertThat(part.health().state()).isEqualTo("NOT_RUNNING");
        assertThat(part.health().isReady()).isFalse();
        telemetry.close();
    }
}
