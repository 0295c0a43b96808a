package dev.fraiseql.observers.core.config.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The validated content of {@code application.yaml}. Build it with {@link ApplicationConfigLoader},
 * which applies the defaults and rules of {@link ApplicationKeys}.
 *
 * @param prefix the app prefix of topics, groups and the Streams application id
 * @param kafka Kafka client settings passed through to every client
 * @param schemaRegistryUrl the schema registry URL, or null when none is used
 * @param topics the declared settings of every product topic
 * @param parts which parts run in this process
 * @param http where the HTTP endpoint listens
 * @param stateDir the state store directory, absolute
 * @param dedupWindow how long event identities are remembered
 * @param workerConcurrency jobs run at the same time
 * @param shutdownTimeout how long in-flight work may finish on shutdown
 */
public record ApplicationConfig(
        String prefix,
        Map<String, String> kafka,
        String schemaRegistryUrl,
        Map<ObserverTopic, TopicSettings> topics,
        PartSwitches parts,
        HttpSettings http,
        Path stateDir,
        Duration dedupWindow,
        int workerConcurrency,
        Duration shutdownTimeout) {

    public ApplicationConfig {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(parts, "parts");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(dedupWindow, "dedupWindow");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        kafka = Map.copyOf(kafka);
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("kafka settings must contain bootstrap.servers");
        }
        EnumMap<ObserverTopic, TopicSettings> copy = new EnumMap<>(ObserverTopic.class);
        copy.putAll(topics);
        if (copy.size() != ObserverTopic.values().length) {
            throw new IllegalArgumentException("every product topic needs settings: " + topics);
        }
        topics = java.util.Collections.unmodifiableMap(copy);
        if (workerConcurrency < 1) {
            throw new IllegalArgumentException(
                    "workerConcurrency must be at least 1, was " + workerConcurrency);
        }
    }

    /** The schema registry URL, when one is configured. */
    public Optional<String> schemaRegistry() {
        return Optional.ofNullable(schemaRegistryUrl);
    }

    /** The names of the product topics under this config's prefix. */
    public TopicNames topicNames() {
        return new TopicNames(prefix);
    }

    /** The settings of one topic. */
    public TopicSettings topic(ObserverTopic topic) {
        return topics.get(topic);
    }

    /** A fresh {@link Properties} with the Kafka client settings, for creating a client. */
    public Properties kafkaProperties() {
        Properties properties = new Properties();
        properties.putAll(kafka);
        return properties;
    }

    /** The same configuration with other part switches (the command line can override them). */
    public ApplicationConfig withParts(PartSwitches newParts) {
        return new ApplicationConfig(
                prefix,
                kafka,
                schemaRegistryUrl,
                topics,
                newParts,
                http,
                stateDir,
                dedupWindow,
                workerConcurrency,
                shutdownTimeout);
    }

    /** The same configuration with another HTTP endpoint address. */
    public ApplicationConfig withHttp(HttpSettings newHttp) {
        return new ApplicationConfig(
                prefix,
                kafka,
                schemaRegistryUrl,
                topics,
                parts,
                newHttp,
                stateDir,
                dedupWindow,
                workerConcurrency,
                shutdownTimeout);
    }

    /** Prints with every secret Kafka setting masked, so the config can be logged at start. */
    @Override
    public String toString() {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("prefix", prefix);
        shown.put("kafka", Secrets.masked(new java.util.TreeMap<>(kafka)));
        shown.put("schema_registry.url", Secrets.maskUserInfo(schemaRegistryUrl));
        shown.put("topics", topics);
        shown.put("parts", parts);
        shown.put("http", http);
        shown.put("state.dir", stateDir);
        shown.put("dedup.window", DurationText.format(dedupWindow));
        shown.put("worker.concurrency", workerConcurrency);
        shown.put("shutdown.timeout", DurationText.format(shutdownTimeout));
        return "ApplicationConfig" + shown;
    }
}
