package dev.fraiseql.observers.streams.app;

import dev.fraiseql.observers.core.config.app.ApplicationConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/** The first step of a start: make the product's topics exist as declared. */
@FunctionalInterface
public interface TopicPreparation {
    /** Prepares the topics and reports what was found and done. */
    TopicManager.Report prepare(ApplicationConfig config);

    /**
     * Creates missing topics with a {@link TopicManager} over the configured Kafka cluster; the
     * retry topics are those of the default retry policy and the given extra delays.
     */
    static TopicPreparation apply(Collection<Duration> extraRetryDelays, Duration timeout) {
        List<Duration> delays = List.copyOf(extraRetryDelays);
        return config -> {
            try (Admin admin =
                    Admin.create(TopicManager.adminProperties(config.kafkaProperties(), timeout))) {
                return new TopicManager(admin, timeout).apply(TopicDeclaration.of(config, delays));
            }
        };
    }
}
