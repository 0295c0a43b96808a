package dev.fraiseql.observers.testing;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real Kafka cluster shared by every test of one JVM. Tests isolate themselves by topic names
 * ({@link #uniqueName(String)}), never by restarting the broker.
 */
public interface KafkaHarness {

    /** The {@code bootstrap.servers} value of the shared cluster. */
    String bootstrapServers();

    /** What backs the cluster, for logs: {@code in-process KRaft} or {@code Testcontainers}. */
    String description();

    /** A name that no other test of this JVM uses: the prefix plus a counter. */
    default String uniqueName(String prefix) {
        return prefix + "-" + Counter.NEXT.incrementAndGet();
    }

    /** Admin client properties for the shared cluster. */
    default Properties adminProperties() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return properties;
    }

    /** Creates the topics (single replica) and waits until they exist. */
    default void createTopics(int partitions, Collection<String> names) {
        List<NewTopic> topics =
                names.stream()
                        .map(name -> new NewTopic(name, partitions, (short) 1).configs(Map.of()))
                        .toList();
        try (Admin admin = Admin.create(adminProperties())) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + names, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topics " + names + ": " + e, e);
        }
    }

    /** Creates the topics with one partition each. */
    default void createTopics(String... names) {
        createTopics(1, List.of(names));
    }

    /** Holds the counter for {@link #uniqueName(String)}. */
    final class Counter {
        private static final AtomicInteger NEXT = new AtomicInteger();

        private Counter() {}
    }
}
