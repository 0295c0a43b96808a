package dev.fraiseql.observers.core.config.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The declaration table of {@code application.yaml}: every key once, with its type, default, rule
 * and documentation. {@link ApplicationConfigLoader} validates against it and {@link
 * ConfigReference} renders {@code docs/configuration.md} from it.
 */
public final class ApplicationKeys {
    /** The prefix of every topic, consumer group and Streams application id. */
    public static final ConfigKey<String> PREFIX =
            ConfigKey.of(
                    "prefix",
                    ConfigType.STRING,
                    "observers",
                    Rule.matches(
                            "[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}",
                            "must be 1 to 100 letters, digits, '.', '_' or '-', starting with a"
                                    + " letter or digit"),
                    "Prefix of every topic (`<prefix>.events`), consumer group and Kafka Streams"
                            + " application id.");

    /** Kafka client settings, passed through to every producer, consumer, admin and Streams. */
    public static final ConfigKey<Map<String, String>> KAFKA =
            new ConfigKey<>(
                    "kafka",
                    ConfigType.PROPERTIES,
                    null,
                    false,
                    new Rule<>(
                            "must set bootstrap.servers",
                            settings -> !settings.getOrDefault("bootstrap.servers", "").isBlank()),
                    "Kafka client settings passed through unchanged to every client (so TLS and"
                            + " SASL need no code): `bootstrap.servers` is required;"
                            + " `security.protocol`, `ssl.*`, `sasl.*` and any other client"
                            + " setting may follow. Nested maps join with dots. Values of"
                            + " settings whose name holds `password`, `jaas`, `secret` or ends in"
                            + " `.key` are shown as `[hidden]`.",
                    "(required: bootstrap.servers)");

    /** The schema registry, when records should be Avro with registered schemas. */
    public static final ConfigKey<String> SCHEMA_REGISTRY_URL =
            ConfigKey.optional(
                    "schema_registry.url",
                    ConfigType.STRING,
                    Rule.matches(
                            "https?://\\S+", "must be an http:// or https:// URL with no spaces"),
                    "Schema registry URL. Without it, records carry single-object Avro encoding"
                            + " and no registry is needed.");

    public static final ConfigKey<Integer> TOPIC_PARTITIONS =
            ConfigKey.of(
                    "topics.partitions",
                    ConfigType.INT,
                    3,
                    Rule.between(1, 10_000),
                    "Partitions of every product topic that does not set its own. Partitions"
                            + " bound how far the topology and the worker scale out.");

    public static final ConfigKey<Integer> TOPIC_REPLICATION =
            ConfigKey.of(
                    "topics.replication",
                    ConfigType.INT,
                    1,
                    Rule.between(1, 32),
                    "Replication factor of every product topic that does not set its own. Use 3"
                            + " on a production cluster.");

    public static final ConfigKey<Boolean> PART_CONNECTORS =
            partSwitch("connectors", "the Debezium engines of the files in `connectors/`");
    public static final ConfigKey<Boolean> PART_TOPOLOGY =
            partSwitch(
                    "topology",
                    "the Kafka Streams topology (normalize, dedup, entity cache, match"
                            + " observers)");
    public static final ConfigKey<Boolean> PART_WORKER =
            partSwitch("worker", "the job worker that runs actions, retries and dead-letters");
    public static final ConfigKey<Boolean> PART_HTTP =
            partSwitch("http", "the HTTP endpoint (`/metrics`, `/health/...`, `/entities/...`)");

    public static final ConfigKey<String> HTTP_HOST =
            ConfigKey.of(
                    "http.host",
                    ConfigType.STRING,
                    "127.0.0.1",
                    Rule.matches(
                            "[a-zA-Z0-9.:_-]+|\\[[0-9a-fA-F:]+]",
                            "must be a host name or an IP address"),
                    "Address the HTTP endpoint binds to. Loopback by default; `0.0.0.0` to serve"
                            + " other machines (behind a firewall or a cluster network).");

    public static final ConfigKey<Integer> HTTP_PORT =
            ConfigKey.of(
                    "http.port",
                    ConfigType.INT,
                    8080,
                    Rule.between(0, 65_535),
                    "Port of the HTTP endpoint; 0 picks a free port (logged at start).");

    public static final ConfigKey<Integer> HTTP_THREADS =
            ConfigKey.of(
                    "http.threads",
                    ConfigType.INT,
                    4,
                    Rule.between(1, 64),
                    "Threads that serve HTTP requests. When all are busy and 64 requests wait,"
                            + " the accepting thread serves the next one itself, which slows"
                            + " clients down instead of queueing without bound.");

    public static final ConfigKey<String> STATE_DIR =
            ConfigKey.of(
                    "state.dir",
                    ConfigType.STRING,
                    "state",
                    Rule.matches(".*\\S.*", "must not be blank"),
                    "Directory of the Kafka Streams state stores (dedup, entity cache). A"
                            + " relative path is resolved against the config folder.");

    public static final ConfigKey<Duration> DEDUP_WINDOW =
            ConfigKey.of(
                    "dedup.window",
                    ConfigType.DURATION,
                    Duration.ofHours(24),
                    Rule.positive(),
                    "How long an event identity is remembered to drop duplicates.");

    public static final ConfigKey<Integer> WORKER_CONCURRENCY =
            ConfigKey.of(
                    "worker.concurrency",
                    ConfigType.INT,
                    8,
                    Rule.between(1, 1024),
                    "Action attempts to one receiver host that the worker runs at the same time"
                            + " in this process: a receiver never sees more concurrent requests"
                            + " from one process. Each action type runs at most 64 attempts, or"
                            + " this many if more, at once.");

    public static final ConfigKey<Duration> SHUTDOWN_TIMEOUT =
            ConfigKey.of(
                    "shutdown.timeout",
                    ConfigType.DURATION,
                    Duration.ofSeconds(30),
                    Rule.positive(),
                    "On SIGTERM, how long in-flight jobs may finish before the parts are closed"
                            + " anyway.");

    /** Every top-level key, in reference order. */
    public static final List<ConfigKey<?>> ALL =
            List.of(
                    PREFIX,
                    KAFKA,
                    SCHEMA_REGISTRY_URL,
                    TOPIC_PARTITIONS,
                    TOPIC_REPLICATION,
                    PART_CONNECTORS,
                    PART_TOPOLOGY,
                    PART_WORKER,
                    PART_HTTP,
                    HTTP_HOST,
                    HTTP_PORT,
                    HTTP_THREADS,
                    STATE_DIR,
                    DEDUP_WINDOW,
                    WORKER_CONCURRENCY,
                    SHUTDOWN_TIMEOUT);

    /** Per-topic keys under {@code topics.<topic>.}, names relative to the topic. */
    public static final ConfigKey<Integer> TOPIC_OWN_PARTITIONS =
            ConfigKey.inherited(
                    "partitions",
                    ConfigType.INT,
                    Rule.between(1, 10_000),
                    "Partitions of this topic.",
                    "`topics.partitions`");

    public static final ConfigKey<Integer> TOPIC_OWN_REPLICATION =
            ConfigKey.inherited(
                    "replication",
                    ConfigType.INT,
                    Rule.between(1, 32),
                    "Replication factor of this topic.",
                    "`topics.replication`");

    public static final ConfigKey<Retention> TOPIC_OWN_RETENTION =
            ConfigKey.inherited(
                    "retention",
                    ConfigType.RETENTION,
                    Rule.any(),
                    "How long records are kept (`retention.ms`); `forever` keeps them. Ignored by"
                            + " compacted topics.",
                    "per topic, below");

    /** Every per-topic key. */
    public static final List<ConfigKey<?>> PER_TOPIC =
            List.of(TOPIC_OWN_PARTITIONS, TOPIC_OWN_REPLICATION, TOPIC_OWN_RETENTION);

    private ApplicationKeys() {}

    /** The top-level key with this name, if declared. */
    public static Optional<ConfigKey<?>> byName(String name) {
        return ALL.stream().filter(key -> key.name().equals(name)).findFirst();
    }

    private static ConfigKey<Boolean> partSwitch(String part, String what) {
        return ConfigKey.of(
                "parts." + part,
                ConfigType.BOOLEAN,
                Boolean.TRUE,
                Rule.any(),
                "Runs " + what + " in this process. Switch parts off to deploy them apart.");
    }
}
