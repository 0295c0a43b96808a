package dev.fraiseql.observers.testing;

import dev.fraiseql.observers.embedded.EmbeddedKafka;
import dev.fraiseql.observers.embedded.EmbeddedPostgres;
import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The shared harnesses: one Kafka cluster and one PostgreSQL server per test JVM, started on first
 * use and stopped when the JVM exits.
 *
 * <p>Where a Docker engine answers, they are Testcontainers; otherwise (the default on machines
 * without Docker, and whenever {@code -Dobservers.harness=embedded} is set) they run in-process:
 * Kafka in KRaft mode and PostgreSQL from Maven-provided binaries. The choice is logged once.
 */
public final class Harnesses {
    private static final Logger log = LoggerFactory.getLogger(Harnesses.class);

    private static final String KAFKA_IMAGE = "apache/kafka:4.3.0";
    private static final String POSTGRES_IMAGE = "postgres:16-alpine";

    private static volatile Boolean useDocker;
    private static KafkaHarness kafka;
    private static PostgresHarness postgres;

    private Harnesses() {}

    /** The shared Kafka cluster of this JVM. */
    public static synchronized KafkaHarness kafka() {
        if (kafka == null) {
            kafka = useDocker() ? startKafkaContainer() : startEmbeddedKafka();
            log.info("Kafka harness: {} at {}", kafka.description(), kafka.bootstrapServers());
        }
        return kafka;
    }

    /** The shared PostgreSQL server of this JVM. */
    public static synchronized PostgresHarness postgres() {
        if (postgres == null) {
            postgres = useDocker() ? startPostgresContainer() : startEmbeddedPostgres();
            log.info(
                    "PostgreSQL harness: {} at {}:{}",
                    postgres.description(),
                    postgres.host(),
                    postgres.port());
        }
        return postgres;
    }

    private static boolean useDocker() {
        if (useDocker == null) {
            String choice = System.getProperty("observers.harness", "auto");
            boolean dockerAvailable = !"embedded".equals(choice) && dockerAnswers();
            useDocker = dockerAvailable;
            log.info(
                    "Test harness choice: {} (observers.harness={}, Docker engine {})",
                    dockerAvailable
                            ? "Testcontainers"
                            : "in-process broker and embedded PostgreSQL",
                    choice,
                    dockerAvailable ? "available" : "not available");
        }
        return useDocker;
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static KafkaHarness startEmbeddedKafka() {
        // The broker shares the test JVM: a fatal fault inside it (seen while it stops on a loaded
        // machine) must fail the test that caused it, not halt the JVM and lose every report.
        Exit.setExitProcedure(
                (code, message) ->
                        log.warn("In-process broker asked to exit with {}: {}", code, message));
        Exit.setHaltProcedure(
                (code, message) ->
                        log.warn("In-process broker asked to halt with {}: {}", code, message));
        EmbeddedKafka broker = EmbeddedKafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-harness-shutdown"));
        return new KafkaHarness() {
            @Override
            public String bootstrapServers() {
                return broker.bootstrapServers();
            }

            @Override
            public String description() {
                return "in-process KRaft broker";
            }
        };
    }

    private static PostgresHarness startEmbeddedPostgres() {
        EmbeddedPostgres server = EmbeddedPostgres.start();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(server::close, "postgres-harness-shutdown"));
        return new PostgresHarness() {
            @Override
            public String host() {
                return server.host();
            }

            @Override
            public int port() {
                return server.port();
            }

            @Override
            public String user() {
                return EmbeddedPostgres.SUPERUSER;
            }

            @Override
            public String password() {
                return "postgres";
            }

            @Override
            public String description() {
                return "embedded PostgreSQL (Maven-provided binaries)";
            }
        };
    }

    private static KafkaHarness startKafkaContainer() {
        KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
        container.start();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(container::stop, "kafka-container-shutdown"));
        return new KafkaHarness() {
            @Override
            public String bootstrapServers() {
                return container.getBootstrapServers();
            }

            @Override
            public String description() {
                return "Testcontainers " + KAFKA_IMAGE;
            }
        };
    }

    private static PostgresHarness startPostgresContainer() {
        PostgreSQLContainer container =
                new PostgreSQLContainer(POSTGRES_IMAGE)
                        .withCommand("postgres", "-c", "wal_level=logical");
        container.start();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(container::stop, "postgres-container-shutdown"));
        return new PostgresHarness() {
            @Override
            public String host() {
                return container.getHost();
            }

            @Override
            public int port() {
                return container.getMappedPort(5432);
            }

            @Override
            public String user() {
                return container.getUsername();
            }

            @Override
            public String password() {
                return container.getPassword();
            }

            @Override
            public String description() {
                return "Testcontainers " + POSTGRES_IMAGE;
            }
        };
    }
}
