package dev.fraiseql.observers.connectors;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.KafkaOffsetBackingStore;
import org.apache.kafka.connect.util.SharedTopicAdmin;
import org.apache.kafka.connect.util.TopicAdmin;

/**
 * Kafka Connect's offset store in a Kafka topic, which also closes the admin client it uses.
 *
 * <p>When the engine is given {@code KafkaOffsetBackingStore} by name, Debezium builds a shared
 * admin client ({@code debezium-servershared-admin}) that nothing ever closes: its thread outlives
 * the engine and logs connection warnings once the broker is gone. This class is named in {@code
 * offset.storage} instead; the engine creates it through its public no-argument constructor, and
 * {@link #stop()} closes the admin client after the store itself.
 */
public final class ClosingKafkaOffsetStore extends KafkaOffsetBackingStore {
    private static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final AtomicReference<SharedTopicAdmin> admin;
    private final AtomicReference<String> clientIdBase;

    /** Called by the engine, which creates offset stores by reflection. */
    public ClosingKafkaOffsetStore() {
        this(new AtomicReference<>(), new AtomicReference<>("observers-"));
    }

    private ClosingKafkaOffsetStore(
            AtomicReference<SharedTopicAdmin> admin, AtomicReference<String> clientIdBase) {
        super(topicAdmin(admin), clientIdBase::get, keyConverter());
        this.admin = admin;
        this.clientIdBase = clientIdBase;
    }

    @Override
    public void configure(WorkerConfig config) {
        // Client ids name the connector, so broker logs and metrics tell the engines apart.
        Object connector = config.originals().get("name");
        clientIdBase.set("observers-" + (connector == null ? "" : connector + "-"));
        Map<String, Object> adminProperties = new HashMap<>(config.originals());
        adminProperties.put(
                CommonClientConfigs.CLIENT_ID_CONFIG, clientIdBase.get() + "offsets-admin");
        admin.set(new SharedTopicAdmin(adminProperties));
        super.configure(config);
    }

    @Override
    public void stop() {
        try {
            super.stop();
        } finally {
            SharedTopicAdmin shared = admin.getAndSet(null);
            if (shared != null) {
                shared.close(ADMIN_CLOSE_TIMEOUT);
            }
        }
    }

    private static Supplier<TopicAdmin> topicAdmin(AtomicReference<SharedTopicAdmin> admin) {
        return () -> {
            SharedTopicAdmin shared = admin.get();
            if (shared == null) {
                throw new IllegalStateException("the offset store is used before configure()");
            }
            return shared.get();
        };
    }

    private static JsonConverter keyConverter() {
        // Offsets are stored the way Kafka Connect stores them: JSON without schemas, so that
        // Connect's own tools can read the topic.
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), true);
        return converter;
    }
}
