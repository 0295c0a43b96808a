package dev.fraiseql.observers.core.config.app;

import dev.fraiseql.observers.core.config.ConfigException;
import dev.fraiseql.observers.core.config.ConfigFiles;
import dev.fraiseql.observers.core.config.EnvExpander;
import dev.fraiseql.observers.core.config.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Loads and validates {@code application.yaml} against {@link ApplicationKeys}. Every problem is
 * collected (unknown keys with a suggestion, wrong types, broken rules, unset environment
 * variables) and reported at once in one {@link ConfigException}.
 */
public final class ApplicationConfigLoader {
    private static final String KAFKA_PREFIX = ApplicationKeys.KAFKA.name() + ".";
    private static final String TOPICS_PREFIX = "topics.";

    private final EnvExpander env;

    /** A loader that expands {@code ${env:...}} with the given expander. */
    public ApplicationConfigLoader(EnvExpander env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /** A loader over this process's environment. */
    public static ApplicationConfigLoader system() {
        return new ApplicationConfigLoader(EnvExpander.system());
    }

    /**
     * Loads a config folder.
     *
     * @throws ConfigException with every problem found
     */
    public ConfigFolder loadFolder(Path folder) {
        Path root = folder.toAbsolutePath().normalize();
        Path file = root.resolve(ConfigFolder.APPLICATION_FILE);
        if (!Files.isDirectory(root)) {
            throw single(root.toString(), "is not a folder", "pass the config folder");
        }
        if (!Files.exists(file)) {
            throw single(
                    ConfigFolder.APPLICATION_FILE,
                    "is missing from " + root,
                    "create it with at least 'kafka: {bootstrap.servers: host:9092}'");
        }
        String text = ConfigFiles.read(file, ConfigFolder.APPLICATION_FILE);
        return new ConfigFolder(root, parse(text, ConfigFolder.APPLICATION_FILE, root));
    }

    /**
     * Validates the text of an {@code application.yaml}.
     *
     * @param text the YAML text
     * @param file the file name used in problems
     * @param baseDir the folder relative paths resolve against
     * @throws ConfigException with every problem found
     */
    public ApplicationConfig parse(String text, String file, Path baseDir) {
        if (text.isBlank()) {
            throw single(
                    file,
                    "the file is empty",
                    "write at least 'kafka: {bootstrap.servers: host:9092}' in it");
        }
        FlatYaml.Result yaml = FlatYaml.read(text, file, env);
        Validation validation = new Validation(file, yaml.problems());
        for (Map.Entry<String, FlatYaml.Entry> entry : yaml.entries().entrySet()) {
            validation.accept(entry.getKey(), entry.getValue());
        }
        ApplicationConfig config = validation.build(baseDir);
        if (!validation.problems.isEmpty()) {
            throw new ConfigException(validation.problems);
        }
        return config;
    }

    private static ConfigException single(String file, String message, String fix) {
        return new ConfigException(List.of(new Problem(file, 0, "", null, message, fix)));
    }

    /** The state of one validation pass: values found so far and problems. */
    private static final class Validation {
        private final String file;
        private final List<Problem> problems;
        private final Map<String, Object> values = new HashMap<>();
        private final Map<String, String> kafka = new LinkedHashMap<>();
        private final Map<ObserverTopic, Map<String, Object>> topicValues =
                new EnumMap<>(ObserverTopic.class);
        private int kafkaLine;

        Validation(String file, List<Problem> readProblems) {
            this.file = file;
            this.problems = new ArrayList<>(readProblems);
        }

        void accept(String path, FlatYaml.Entry entry) {
            if (path.equals(ApplicationKeys.KAFKA.name())) {
                kafkaLine = entry.line();
                if (!(entry.raw() instanceof Map<?, ?>)) {
                    problem(
                            entry,
                            path,
                            String.valueOf(entry.raw()),
                            "expected a map of Kafka client settings",
                            "write 'kafka:' then the settings indented below it");
                }
            } else if (path.startsWith(KAFKA_PREFIX)) {
                acceptKafka(path.substring(KAFKA_PREFIX.length()), entry);
            } else if (ApplicationKeys.byName(path).isPresent()) {
                parseInto(values, ApplicationKeys.byName(path).get(), path, entry);
            } else if (path.startsWith(TOPICS_PREFIX)) {
                acceptTopic(path, entry);
            } else {
                problem(
                        entry,
                        path,
                        null,
                        "unknown key",
                        Suggestions.didYouMean(path, knownNames())
                                .map(name -> "did you mean '" + name + "'?")
                                .orElse("see docs/configuration.md for the known keys"));
            }
        }

        private void acceptKafka(String name, FlatYaml.Entry entry) {
            if (kafkaLine == 0) {
                kafkaLine = entry.line();
            }
            if (entry.raw() instanceof List<?> list) {
                kafka.put(
                        name, list.stream().map(String::valueOf).collect(Collectors.joining(",")));
            } else if (entry.raw() instanceof Map<?, ?>) {
                problem(
                        entry,
                        "kafka." + name,
                        null,
                        "expected a value, found an empty map",
                        "give the setting a value or remove it");
            } else {
                kafka.put(name, String.valueOf(entry.raw()));
            }
        }

        private void acceptTopic(String path, FlatYaml.Entry entry) {
            String rest = path.substring(TOPICS_PREFIX.length());
            for (ConfigKey<?> key : ApplicationKeys.PER_TOPIC) {
                String suffix = "." + key.name();
                if (rest.endsWith(suffix)) {
                    String topicName = rest.substring(0, rest.length() - suffix.length());
                    ObserverTopic topic = ObserverTopic.bySuffix(topicName).orElse(null);
                    if (topic == null) {
                        problem(
                                entry,
                                path,
                                null,
                                "unknown topic '" + topicName + "'",
                                Suggestions.didYouMean(topicName, ObserverTopic.suffixes())
                                        .map(name -> "did you mean '" + name + "'?")
                                        .orElse(
                                                "the topics are "
                                                        + String.join(
                                                                ", ", ObserverTopic.suffixes())));
                        return;
                    }
                    parseInto(
                            topicValues.computeIfAbsent(topic, t -> new HashMap<>()),
                            key,
                            path,
                            entry);
                    return;
                }
            }
            problem(
                    entry,
                    path,
                    null,
                    "unknown key",
                    Suggestions.didYouMean(path, knownNames())
                            .map(name -> "did you mean '" + name + "'?")
                            .orElse(
                                    "a topic takes "
                                            + ApplicationKeys.PER_TOPIC.stream()
                                                    .map(ConfigKey::name)
                                                    .collect(Collectors.joining(", "))));
        }

        private <T> void parseInto(
                Map<String, Object> target, ConfigKey<T> key, String path, FlatYaml.Entry entry) {
            T value;
            try {
                value = key.type().parse(entry.raw());
            } catch (IllegalArgumentException e) {
                problem(entry, path, shown(entry.raw()), e.getMessage(), fixFor(key));
                return;
            }
            if (!key.rule().accepts(value)) {
                problem(entry, path, shown(entry.raw()), key.rule().description(), "");
                return;
            }
            target.put(key.name(), value);
        }

        ApplicationConfig build(Path baseDir) {
            if (!ApplicationKeys.KAFKA.rule().accepts(kafka)) {
                problems.add(
                        new Problem(
                                file,
                                kafkaLine,
                                "kafka.bootstrap.servers",
                                null,
                                "missing required key",
                                "add 'kafka: {bootstrap.servers: host:9092}'"));
            }
            PartSwitches parts =
                    new PartSwitches(
                            get(ApplicationKeys.PART_CONNECTORS),
                            get(ApplicationKeys.PART_TOPOLOGY),
                            get(ApplicationKeys.PART_WORKER),
                            get(ApplicationKeys.PART_HTTP));
            if (!parts.any()) {
                problems.add(
                        new Problem(
                                file,
                                0,
                                "parts",
                                null,
                                "every part is switched off, so nothing would run",
                                "switch on at least one of parts.connectors, parts.topology,"
                                        + " parts.worker, parts.http"));
            }
            if (!problems.isEmpty()) {
                return null;
            }
            return new ApplicationConfig(
                    get(ApplicationKeys.PREFIX),
                    kafka,
                    get(ApplicationKeys.SCHEMA_REGISTRY_URL),
                    topics(),
                    parts,
                    new HttpSettings(
                            get(ApplicationKeys.HTTP_HOST),
                            get(ApplicationKeys.HTTP_PORT),
                            get(ApplicationKeys.HTTP_THREADS)),
                    baseDir.resolve(get(ApplicationKeys.STATE_DIR)).toAbsolutePath().normalize(),
                    get(ApplicationKeys.DEDUP_WINDOW),
                    get(ApplicationKeys.WORKER_CONCURRENCY),
                    get(ApplicationKeys.SHUTDOWN_TIMEOUT));
        }

        private Map<ObserverTopic, TopicSettings> topics() {
            int partitions = get(ApplicationKeys.TOPIC_PARTITIONS);
            int replication = get(ApplicationKeys.TOPIC_REPLICATION);
            Map<ObserverTopic, TopicSettings> topics = new EnumMap<>(ObserverTopic.class);
            for (ObserverTopic topic : ObserverTopic.values()) {
                Map<String, Object> own = topicValues.getOrDefault(topic, Map.of());
                topics.put(
                        topic,
                        new TopicSettings(
                                (Integer) own.getOrDefault("partitions", partitions),
                                ((Integer) own.getOrDefault("replication", replication))
                                        .shortValue(),
                                (Retention)
                                        own.getOrDefault("retention", topic.defaultRetention())));
            }
            return topics;
        }

        @SuppressWarnings("unchecked")
        private <T> T get(ConfigKey<T> key) {
            Object value = values.get(key.name());
            return value == null ? key.defaultValue() : (T) value;
        }

        private void problem(
                FlatYaml.Entry entry, String path, String value, String message, String fix) {
            String masked = value == null ? null : Secrets.mask(path, value);
            problems.add(new Problem(file, entry.line(), path, masked, message, fix));
        }

        private static String shown(Object raw) {
            if (raw instanceof List<?>) {
                return "a list";
            }
            if (raw instanceof Map<?, ?>) {
                return "a map";
            }
            return String.valueOf(raw);
        }

        private static String fixFor(ConfigKey<?> key) {
            if (key.type() == ConfigType.DURATION) {
                return "write a number and a unit, for example 30s";
            }
            if (key.type() == ConfigType.RETENTION) {
                return "write a number and a unit, for example 7d, or forever";
            }
            if (key.type() == ConfigType.BOOLEAN) {
                return "write true or false";
            }
            return "";
        }

        private static List<String> knownNames() {
            List<String> names = new ArrayList<>();
            ApplicationKeys.ALL.forEach(key -> names.add(key.name()));
            for (String topic : ObserverTopic.suffixes()) {
                for (ConfigKey<?> key : ApplicationKeys.PER_TOPIC) {
                    names.add(TOPICS_PREFIX + topic + "." + key.name());
                }
            }
            return names;
        }
    }
}
