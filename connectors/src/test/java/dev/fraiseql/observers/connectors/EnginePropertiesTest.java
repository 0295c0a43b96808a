package dev.fraiseql.observers.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.connector.ConnectorConfig;
import dev.fraiseql.observers.core.config.connector.ConnectorFileLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnginePropertiesTest {
    private final ConnectorSupervisor supervisor =
            new ConnectorSupervisor(
                    Path.of("connectors"),
                    Map.of("bootstrap.servers", "127.0.0.1:9092", "security.protocol", "PLAINTEXT"),
                    EnvExpander.of(Map.of()),
                    Clock.systemUTC());
    private final ConnectorFileLoader loader = new ConnectorFileLoader(EnvExpander.of(Map.of()));

    @Test
    void offsetsAreStoredInAKafkaTopicByAStoreThatClosesItsAdminClient() {
        ConnectorConfig config =
                loader.parse(
                        "connectors/pagila.yaml",
                        "name: pagila\ntype: postgres\n"
                                + "database: {host: h, name: pagila, user: u, password: p}\n");

        Map<String, String> properties = supervisor.engineProperties(config);

        assertThat(properties)
                .containsEntry("offset.storage", ClosingKafkaOffsetStore.class.getName())
                .containsEntry("offset.storage.topic", "observers.connectors.offsets")
                .containsEntry("offset.storage.partitions", "1")
                .containsEntry("offset.storage.replication.factor", "-1")
                .containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("converter.schemas.enable", "true")
                .containsEntry("errors.max.retries", "0")
                .doesNotContainKey("schema.history.internal");
    }

    @Test
    void mysqlKeepsItsSchemaHistoryInAKafkaTopicWithTheSameClientSettings() {
        ConnectorConfig config =
                loader.parse(
                        "connectors/shop.yaml",
                        "name: shop\ntype: mysql\n"
                                + "database: {host: h, name: shop, user: u, password: p}\n");

        Map<String, String> properties = supervisor.engineProperties(config);

        assertThat(properties)
                .containsEntry(
                        "schema.history.internal",
                        "io.debezium.storage.kafka.history.KafkaSchemaHistory")
                .containsEntry(
                        "schema.history.internal.kafka.topic",
                        "observers.connectors.shop.schema-history")
                .containsEntry("schema.history.internal.kafka.bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("schema.history.internal.producer.security.protocol", "PLAINTEXT")
                .containsEntry("schema.history.internal.consumer.security.protocol", "PLAINTEXT");
    }
}
