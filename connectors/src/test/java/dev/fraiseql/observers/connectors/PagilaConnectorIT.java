package dev.fraiseql.observers.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fraiseql.observers.connectors.ChangeLog.Change;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.testing.Harnesses;
import dev.fraiseql.observers.testing.KafkaHarness;
import dev.fraiseql.observers.testing.Pagila;
import dev.fraiseql.observers.testing.PostgresHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Pagila sample captured from a connector file: the snapshot, changes after it, and a restart.
 * The methods run in order against one connector, because loading Pagila and snapshotting it is the
 * expensive part.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PagilaConnectorIT {
    private static final List<String> TABLES =
            List.of(
                    "public.actor",
                    "public.address",
                    "public.category",
                    "public.city",
                    "public.country",
                    "public.customer",
                    "public.film",
                    "public.language",
                    "public.payment",
                    "public.staff",
                    "public.store");

    private final KafkaHarness kafka = Harnesses.kafka();
    private final PostgresHarness postgres = Harnesses.postgres();

    private String database;
    private String name;
    private Path folder;
    private ConnectorSupervisor supervisor;
    private ChangeLog changes;

    @BeforeAll
    void loadPagilaAndStartTheConnector() throws Exception {
        Pagila.require();
        database = postgres.newDatabase("pagila");
        Pagila.load(postgres, database);
        name = kafka.uniqueName("pagila");
        folder = Files.createTempDirectory("connectors");
        ConnectorFiles.writePostgres(
                folder, name, postgres, database, postgres.user(), postgres.password(), TABLES);

        supervisor = newSupervisor();
        supervisor.start();
        changes = new ChangeLog(kafka.bootstrapServers(), name);
    }

    @AfterAll
    void stop() {
        if (changes != null) {
            changes.close();
        }
        if (supervisor != null) {
            supervisor.close();
        }
    }

    @Test
    @Order(1)
    void snapshotHasOneRecordPerRowOfEveryTableWithPartitionsUnderTheirParent() throws Exception {
        Map<String, Long> expected = new TreeMap<>();
        for (String table : TABLES) {
            expected.put(name + "." + table, count(table));
        }

        await().atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(changes.snapshotCounts()).isEqualTo(expected));

        assertThat(expected.get(name + ".public.payment")).isEqualTo(16049L);
        assertThat(changes.topics()).noneMatch(topic -> topic.contains("payment_p2022"));
        assertThat(supervisor.statuses())
                .singleElement()
                .satisfies(status -> assertThat(status.state()).isEqualTo(ConnectorState.RUNNING));
    }

    @Test
    @Order(2)
    void insertUpdateDeleteAfterTheSnapshotArriveOnceInOrderWithTheirKey() throws Exception {
        String topic = name + ".public.actor";
        execute(
                "INSERT INTO public.actor (actor_id, first_name, last_name) VALUES (9001, 'ADA',"
                        + " 'LOVELACE')",
                "UPDATE public.actor SET last_name = 'BYRON' WHERE actor_id = 9001",
                "DELETE FROM public.actor WHERE actor_id = 9001");

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(actorChanges(topic, 9001)).hasSize(4));
        List<Change> actor = actorChanges(topic, 9001);
        assertThat(actor).extracting(Change::op).containsExactly("c", "u", "d", null);
        assertThat(actor.get(0).after().path("last_name").asText()).isEqualTo("LOVELACE");
        assertThat(actor.get(1).after().path("last_name").asText()).isEqualTo("BYRON");
        assertThat(actor.get(2).before().path("actor_id").asInt()).isEqualTo(9001);
        assertThat(actor.get(0).keySchemaType()).isEqualTo("struct");
        assertThat(actor.get(0).envelopeName()).isEqualTo(name + ".public.actor.Envelope");
    }

    @Test
    @Order(3)
    void aPaymentWrittenToAPartitionArrivesUnderPublicPayment() throws Exception {
        execute(
                "INSERT INTO public.payment (payment_id, customer_id, staff_id, rental_id, amount,"
                    + " payment_date) VALUES (99001, 1, 1, 1, 12.34, '2022-03-15 10:00:00+00')");

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(changes.of(name + ".public.payment"))
                                        .filteredOn(c -> "c".equals(c.op()))
                                        .singleElement()
                                        .satisfies(
                                                c ->
                                                        assertThat(
                                                                        c.after()
                                                                                .path("payment_id")
                                                                                .asInt())
                                                                .isEqualTo(99001)));
        assertThat(changes.poll())
                .extracting(Change::topic)
                .noneMatch(t -> t.contains("payment_p"));
    }

    @Test
    @Order(4)
    void changesMadeWhileStoppedArriveAfterARestartWithoutASecondSnapshot() throws Exception {
        String topic = name + ".public.category";
        supervisor.close();
        assertThat(supervisor.statuses())
                .singleElement()
                .satisfies(status -> assertThat(status.state()).isEqualTo(ConnectorState.STOPPED));
        // Debezium's own Kafka offset store leaves an admin client thread behind; ours closes it.
        assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .noneMatch(thread -> thread.contains("servershared-admin"))
                .noneMatch(thread -> thread.contains(name + "-offsets-admin"))
                .noneMatch(thread -> thread.contains("observers-connector-" + name));

        execute(
                "INSERT INTO public.category (category_id, name) VALUES (901, 'Noir')",
                "INSERT INTO public.category (category_id, name) VALUES (902, 'Western')",
                "UPDATE public.category SET name = 'Film noir' WHERE category_id = 901",
                "DELETE FROM public.category WHERE category_id = 902");
        supervisor = newSupervisor();
        supervisor.start();

        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () ->
                                assertThat(changes.of(topic))
                                        .filteredOn(c -> c.payload() != null)
                                        .extracting(
                                                Change::op,
                                                c -> c.key().path("category_id").asInt())
                                        .containsExactly(
                                                org.assertj.core.groups.Tuple.tuple("c", 901),
                                                org.assertj.core.groups.Tuple.tuple("c", 902),
                                                org.assertj.core.groups.Tuple.tuple("u", 901),
                                                org.assertj.core.groups.Tuple.tuple("d", 902)));
        assertThat(changes.snapshotCounts()).containsEntry(topic, 16L);
    }

    private List<Change> actorChanges(String topic, int actorId) {
        return changes.of(topic).stream()
                .filter(c -> c.key().path("actor_id").asInt() == actorId)
                .toList();
    }

    private ConnectorSupervisor newSupervisor() {
        return new ConnectorSupervisor(
                folder,
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                EnvExpander.of(Map.of()),
                Clock.systemUTC());
    }

    private long count(String table) throws SQLException {
        try (Connection connection = postgres.connect(database);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        }
    }

    private void execute(String... statements) {
        postgres.execute(database, statements);
    }
}
