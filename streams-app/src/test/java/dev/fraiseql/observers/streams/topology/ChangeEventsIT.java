package dev.fraiseql.observers.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.fraiseql.observers.connectors.ConnectorSupervisor;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Operation;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import dev.fraiseql.observers.schemas.values.RowCodec;
import dev.fraiseql.observers.streams.topology.entities.EntityLookup;
import dev.fraiseql.observers.streams.topology.entities.EntityLookupHandler;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import dev.fraiseql.observers.testing.PostgresHarness;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The change-event topology on a real broker, fed by the product's connector supervisor (a real
 * Debezium PostgreSQL engine) reading a real PostgreSQL (default replica identity), under {@code
 * exactly_once_v2}.
 */
class ChangeEventsIT {
    private static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .enable(
                            com.fasterxml.jackson.databind.DeserializationFeature
                                    .USE_BIG_DECIMAL_FOR_FLOATS)
                    .setNodeFactory(
                            com.fasterxml.jackson.databind.node.JsonNodeFactory
                                    .withExactBigDecimals(true));

    private final KafkaHarness kafka = Harnesses.kafka();
    private final PostgresHarness postgres = Harnesses.postgres();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() {
        Collections.reverse(resources);
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                // Each resource is closed on its own so one failure does not leak the others.
            }
        }
    }

    @Test
    void toastedUpdateIsCompletedFromTheCacheAndReplayedRecordsYieldEachEventOnce()
            throws Exception {
        String database = postgres.newDatabase("topology");
        String prefix = kafka.uniqueName("pg").replace('-', '_');
        String appPrefix = kafka.uniqueName("observers");
        String table = prefix + ".public.rental";
        kafka.createTopics(table, appPrefix + ".events", appPrefix + ".events.dlq");
        postgres.execute(
                database,
                "CREATE TABLE rental (rental_id int PRIMARY KEY, amount numeric(10,2),"
                        + " note text, returned_at timestamptz)");
        // Random hex does not compress, so 4096 characters are stored out of line (TOASTed).
        postgres.execute(
                database,
                "CREATE TABLE big_text AS SELECT string_agg(md5(random()::text), '') AS v"
                        + " FROM generate_series(1, 128)");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        int httpPort = freePort();
        KafkaStreams streams = startTopology(prefix, appPrefix, registry, httpPort);
        startHttp(streams, httpPort);
        startConnector(database, prefix);

        postgres.execute(
                database,
                "INSERT INTO rental SELECT 1, 10.00, v, '2024-06-01 10:15:30.123456+02'"
                        + " FROM big_text");
        postgres.execute(database, "UPDATE rental SET amount = 15.50 WHERE rental_id = 1");
        String note = queryNote(database);

        List<ChangeEvent> events = awaitEvents(appPrefix, 2);
        ChangeEvent update = events.get(1);
        assertThat(update.getOp()).isEqualTo(Operation.UPDATE);
        Map<String, Object> after = RowCodec.toJava(update.getAfter());
        Map<String, Object> before = RowCodec.toJava(update.getBefore());
        assertThat(note).hasSize(4096);
        assertThat(after.get("note")).isEqualTo(note);
        assertThat(((BigDecimal) after.get("amount")).toPlainString()).isEqualTo("15.50");
        assertThat(((BigDecimal) before.get("amount")).toPlainString()).isEqualTo("10.00");
        assertThat(before.get("note")).isEqualTo(note);
        assertThat(update.getBeforeRebuilt()).isTrue();
        assertThat(update.getUnavailable()).isEmpty();
        assertThat(update.getChanged()).containsExactly("amount");
        assertThat(after.get("returned_at").toString()).isEqualTo("2024-06-01T08:15:30.123456Z");
        List<ProducerRecord<String, String>> changes = readChangeRecords(table);
        assertThat(changes)
                .as("Debezium sent the TOAST placeholder for the untouched note")
                .anyMatch(
                        r ->
                                r.value() != null
                                        && r.value().contains("__debezium_unavailable_value"));
        replay(changes);
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                counter(registry, "fraiseql.observer.dedup.detected")
                                        >= changes.size());
        List<ChangeEvent> afterReplay = readAll(appPrefix + ".events");
        assertThat(afterReplay).hasSize(2);
        Set<String> ids =
                afterReplay.stream().map(ChangeEvent::getEventId).collect(Collectors.toSet());
        assertThat(ids).hasSize(2);

        JsonNode cached = getJson(httpPort, "/entities/public.rental/1");
        assertThat(cached.path("row").path("amount").decimalValue()).isEqualByComparingTo("15.50");
        assertThat(cached.path("row").path("amount").toString()).isEqualTo("15.50");
        assertThat(cached.path("row").path("note").asText()).isEqualTo(note);
        assertThat(cached.path("op").asText()).isEqualTo("update");
    }

    private KafkaStreams startTopology(
            String cdcPrefix, String appPrefix, SimpleMeterRegistry registry, int httpPort)
            throws IOException {
        Path stateDir = Files.createTempDirectory("observers-state");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, appPrefix + "-app");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:" + httpPort);
        config.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        KafkaStreams streams =
                new KafkaStreams(
                        ObserversTopology.builder(List.of(CdcSource.of("shop-db", cdcPrefix)))
                                .topicPrefix(appPrefix)
                                .meterRegistry(registry)
                                .build(),
                        config);
        resources.add(() -> streams.close(Duration.ofSeconds(20)));
        streams.start();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }

    private void startHttp(KafkaStreams streams, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext(
                EntityLookupHandler.PATH,
                new EntityLookupHandler(
                        new EntityLookup(streams, new HostInfo("127.0.0.1", port))));
        server.start();
        resources.add(() -> server.stop(0));
    }

    private void startConnector(String database, String name) throws IOException {
        Path folder = Files.createTempDirectory("observers-connectors");
        Files.writeString(
                folder.resolve(name + ".yaml"),
                "name: "
                        + name
                        + "\ntype: postgres\ndatabase:\n  host: "
                        + postgres.host()
                        + "\n  port: "
                        + postgres.port()
                        + "\n  name: "
                        + database
                        + "\n  user: "
                        + postgres.user()
                        + "\n  password: "
                        + postgres.password()
                        + "\ntables: [public.rental]\n");
        ConnectorSupervisor supervisor =
                new ConnectorSupervisor(
                        folder,
                        Map.of("bootstrap.servers", kafka.bootstrapServers()),
                        EnvExpander.of(Map.of()),
                        Clock.systemUTC());
        resources.add(supervisor);
        supervisor.start();
        // Changes made before the slot streams would arrive in the snapshot instead.
        await().atMost(Duration.ofSeconds(90)).until(() -> slotIsActive("observers_" + name));
    }

    private boolean slotIsActive(String slot) {
        try (var connection = postgres.connect("postgres");
                var statement =
                        connection.prepareStatement(
                                "SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, slot);
            try (var rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        } catch (Exception e) {
            return false;
        }
    }

    private String queryNote(String database) throws Exception {
        try (var connection = postgres.connect(database);
                var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT note FROM rental WHERE rental_id = 1")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private void replay(List<ProducerRecord<String, String>> records) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (ProducerRecord<String, String> record : records) {
                producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value()))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    private List<ProducerRecord<String, String>> readChangeRecords(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ProducerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            var partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(
                                    p ->
                                            new org.apache.kafka.common.TopicPartition(
                                                    topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    out.add(new ProducerRecord<>(topic, record.key(), record.value()));
                }
            }
        }
        return out;
    }

    private List<ChangeEvent> awaitEvents(String appPrefix, int count) {
        List<ChangeEvent> events = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            events.clear();
                            events.addAll(readAll(appPrefix + ".events"));
                            return events.size() >= count;
                        });
        return events;
    }

    private List<ChangeEvent> readAll(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ChangeEvent> out = new ArrayList<>();
        try (KafkaConsumer<String, ChangeEvent> consumer =
                new KafkaConsumer<>(
                        config,
                        new StringDeserializer(),
                        ObserverSerdes.changeEvent().deserializer())) {
            var partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(
                                    p ->
                                            new org.apache.kafka.common.TopicPartition(
                                                    topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, ChangeEvent> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    out.add(record.value());
                }
            }
        }
        return out;
    }

    private static JsonNode getJson(int port, String path) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> response =
                client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }

    private static double counter(SimpleMeterRegistry registry, String name) {
        Counter counter = registry.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    private static int freePort() throws IOException {
        try (var socket =
                new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
