package dev.fraiseql.observers.streams.topology.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fraiseql.observers.connectors.ConnectorSupervisor;
import dev.fraiseql.observers.core.action.ActionOptionsValidators;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.observer.JobIds;
import dev.fraiseql.observers.core.observer.ObserverLoader;
import dev.fraiseql.observers.core.observer.ObserverRegistry;
import dev.fraiseql.observers.core.observer.condition.ConditionCompiler;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import dev.fraiseql.observers.schemas.values.RowCodec;
import dev.fraiseql.observers.streams.topology.CdcSource;
import dev.fraiseql.observers.streams.topology.ObserversTopology;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import dev.fraiseql.observers.testing.Pagila;
import dev.fraiseql.observers.testing.PostgresHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rental returns in the Pagila sample, end to end: a real PostgreSQL, a Debezium engine started
 * from a connector file, the change-event topology and the observer matching step on a real broker
 * under {@code exactly_once_v2}. PostgreSQL keeps its default replica identity, so "return_date was
 * null" is known only from the entity cache's before image.
 */
class RentalReturnsPagilaIT {
    private static final String OBSERVERS =
            "observers:\n"
                    + "  - name: rental-returned\n"
                    + "    entity: public.rental\n"
                    + "    on: [update]\n"
                    + "    when: changed_from('return_date', null) && after.return_date != null\n"
                    + "    actions:\n"
                    + "      - log: {}\n";

    /**
     * The rows the snapshot reads: the open rentals and the few that the test touches otherwise.
     * The entity cache learns their before images from it; the other 16,000 rentals would only make
     * the test slow.
     */
    private static final String SNAPSHOT_ROWS = "return_date IS NULL OR rental_id <= 5";

    private final KafkaHarness kafka = Harnesses.kafka();
    private final PostgresHarness postgres = Harnesses.postgres();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                // Keep closing the rest; the test's own assertions already ran.
            }
        }
    }

    @Test
    void returnsEmitExactlyAsManyJobsAsTheUpdateReturnedRows() throws Exception {
        Pagila.require();
        String database = postgres.newDatabase("pagila");
        Pagila.load(postgres, database);
        String connector = kafka.uniqueName("rentals");
        String prefix = kafka.uniqueName("returns");
        Path config = Files.createTempDirectory("observers-config");
        writeConnectorFile(config.resolve("connectors"), connector, database);
        Files.createDirectories(config.resolve("observers"));
        Files.writeString(config.resolve("observers/rentals.yaml"), OBSERVERS);
        kafka.createTopics(prefix + ".events", prefix + ".events.dlq", prefix + ".jobs");
        long snapshotRows =
                queryLong(database, "SELECT count(*) FROM public.rental WHERE " + SNAPSHOT_ROWS);

        ConnectorSupervisor supervisor =
                new ConnectorSupervisor(
                        config.resolve("connectors"),
                        Map.of("bootstrap.servers", kafka.bootstrapServers()),
                        EnvExpander.of(Map.of()),
                        Clock.systemUTC());
        resources.add(supervisor);
        supervisor.start();
        awaitSnapshot(connector + ".public.rental", snapshotRows);
        startTopology(connector, prefix, config.resolve("observers"));

        long open =
                queryLong(database, "SELECT count(*) FROM public.rental WHERE return_date IS NULL");
        Set<Long> openIds =
                queryIds(database, "SELECT rental_id FROM public.rental WHERE return_date IS NULL");
        int returned =
                executeUpdate(
                        database,
                        "UPDATE public.rental SET return_date = now() WHERE return_date IS NULL");
        // Updates that must not fire: a returned rental touched again, a column other than
        // return_date.
        executeUpdate(
                database,
                "UPDATE public.rental SET return_date = return_date + interval '1 day'"
                        + " WHERE rental_id IN (1, 2, 3)");
        executeUpdate(
                database, "UPDATE public.rental SET staff_id = staff_id WHERE rental_id IN (4, 5)");
        // A last return marks the end: once its job is out, every earlier change was matched.
        long sentinel =
                queryLong(
                        database,
                        "INSERT INTO public.rental (rental_date, inventory_id, customer_id,"
                                + " staff_id) VALUES (now(), 1, 1, 1) RETURNING rental_id");
        executeUpdate(
                database,
                "UPDATE public.rental SET return_date = now() WHERE rental_id = " + sentinel);

        List<Job> jobs = awaitJobFor(prefix + ".jobs", sentinel);

        assertThat(returned).isEqualTo(open).isPositive();
        assertThat(jobs).hasSize(returned + 1);
        assertThat(jobs).extracting(Job::getObserver).containsOnly("rental-returned");
        assertThat(jobs.stream().map(Job::getJobId).distinct()).hasSize(returned + 1);
        assertThat(jobs)
                .allSatisfy(
                        job ->
                                assertThat(job.getJobId())
                                        .isEqualTo(
                                                JobIds.of(
                                                        job.getEvent().getEventId(),
                                                        "rental-returned",
                                                        0)));
        Set<Long> expected = new HashSet<>(openIds);
        expected.add(sentinel);
        assertThat(jobs.stream().map(RentalReturnsPagilaIT::rentalId))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    private void startTopology(String connector, String prefix, Path observersDir)
            throws Exception {
        ObserverLoader loader =
                new ObserverLoader(
                        new ConditionCompiler(),
                        ActionOptionsValidators.standard(),
                        EnvExpander.of(Map.of()));
        ObserverRegistry registry = new ObserverRegistry(loader.load(observersDir));
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, prefix);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(
                StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("streams").toString());
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG), 500);
        KafkaStreams streams =
                new KafkaStreams(
                        ObserversTopology.builder(List.of(CdcSource.of(connector, connector)))
                                .topicPrefix(prefix)
                                .onEvents(
                                        new ObserverMatchStep(registry, prefix, Clock.systemUTC()))
                                .build(),
                        properties);
        resources.add(() -> streams.close(Duration.ofSeconds(30)));
        streams.start();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> streams.state() == KafkaStreams.State.RUNNING);
    }

    private void awaitSnapshot(String topic, long rows) {
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        consumerProperties(),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long[] seen = {0};
            await().atMost(Duration.ofMinutes(3))
                    .until(
                            () -> {
                                consumer.poll(Duration.ofMillis(200)).forEach(record -> seen[0]++);
                                return seen[0] >= rows;
                            });
        }
    }

    private List<Job> awaitJobFor(String topic, long rentalId) {
        List<Job> jobs = new ArrayList<>();
        try (KafkaConsumer<String, Job> consumer =
                new KafkaConsumer<>(
                        consumerProperties(),
                        new StringDeserializer(),
                        ObserverSerdes.job().deserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofMinutes(2))
                    .until(
                            () -> {
                                for (ConsumerRecord<String, Job> record :
                                        consumer.poll(Duration.ofMillis(200))) {
                                    jobs.add(record.value());
                                }
                                return jobs.stream().anyMatch(job -> rentalId(job) == rentalId);
                            });
        }
        return jobs;
    }

    private Properties consumerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.uniqueName("reader"));
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return properties;
    }

    private static long rentalId(Job job) {
        return (Long) RowCodec.toJava(job.getEvent().getKey().get("rental_id"));
    }

    private void writeConnectorFile(Path folder, String name, String database) throws Exception {
        Files.createDirectories(folder);
        Files.writeString(
                folder.resolve(name + ".yaml"),
                "name: "
                        + name
                        + "\n"
                        + "type: postgres\n"
                        + "database:\n"
                        + "  host: "
                        + postgres.host()
                        + "\n"
                        + "  port: "
                        + postgres.port()
                        + "\n"
                        + "  name: "
                        + database
                        + "\n"
                        + "  user: "
                        + postgres.user()
                        + "\n"
                        + "  password: "
                        + postgres.password()
                        + "\n"
                        + "tables: [public.rental]\n"
                        + "debezium:\n"
                        + "  snapshot.select.statement.overrides: public.rental\n"
                        + "  snapshot.select.statement.overrides.public.rental: SELECT * FROM"
                        + " public.rental WHERE "
                        + SNAPSHOT_ROWS
                        + "\n");
    }

    private long queryLong(String database, String sql) throws Exception {
        try (Connection connection = postgres.connect(database);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private Set<Long> queryIds(String database, String sql) throws Exception {
        Set<Long> ids = new HashSet<>();
        try (Connection connection = postgres.connect(database);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                ids.add(result.getLong(1));
            }
        }
        return ids;
    }

    private int executeUpdate(String database, String sql) throws Exception {
        try (Connection connection = postgres.connect(database);
                Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }
}
