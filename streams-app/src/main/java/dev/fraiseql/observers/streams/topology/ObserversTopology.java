package dev.fraiseql.observers.streams.topology;

import dev.fraiseql.observers.core.config.app.TopicNames;
import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import dev.fraiseql.observers.streams.topology.normalize.DebeziumNormalizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the change-event part of the Kafka Streams topology: Debezium change topics in, one clean
 * event log out.
 *
 * <pre>
 *  &lt;connector prefix&gt;.* (Debezium JSON) ──▶ normalize ─▶ dedup ─▶ entity cache ──▶ &lt;prefix&gt;.events
 *                                         │ (stores event-dedup, entity-state)   └──▶ attached steps
 *                                         └──▶ &lt;prefix&gt;.events.dlq (original bytes + error headers)
 * </pre>
 *
 * <p><b>Attaching the next step.</b> {@link #addTo(StreamsBuilder)} returns the {@code
 * KStream<String, ChangeEvent>} of events (key: {@link
 * dev.fraiseql.observers.schemas.values.EntityKeys}); a step that consumes it without a key change
 * or a repartition (for example the observer matching step) runs in the same sub-topology and the
 * same task as the cache, with no extra topic hop. {@link Builder#onEvents(Consumer)} does the same
 * for {@link #build()}:
 *
 * <pre>{@code
 * Topology topology = ObserversTopology.builder(sources)
 *         .onEvents(events -> events.flatMapValues(matcher::jobsFor).to(jobsTopic, produced))
 *         .build();
 * }</pre>
 *
 * <p>Source topics are those of the configured connectors, one regex per topic prefix, so a table
 * added to a connector is read without a restart of the topology (after the consumer's metadata
 * refresh). Source records are read as bytes: nothing can fail before the processor, so every bad
 * record reaches the DLQ. DLQ records are written by the same task as events, so under {@code
 * exactly_once_v2} a bad record is written in the same transaction as its offset commit and a
 * restart does not write it twice.
 */
public final class ObserversTopology {
    /** The dedup store: event id to the wall-clock time it was first seen (ms). */
    public static final String DEDUP_STORE = "event-dedup";

    /** The entity cache: entity key to the last applied event of that row. */
    public static final String ENTITY_STORE = "entity-state";

    /** The default application topic prefix. */
    public static final String DEFAULT_PREFIX = "observers";

    /** The default time an event identity is remembered. */
    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofHours(24);

    /** The default interval of the dedup expiry punctuation. */
    public static final Duration DEFAULT_DEDUP_PUNCTUATION = Duration.ofMinutes(1);

    private static final String PROCESSOR_NAME = "change-events";

    private final List<CdcSource> sources;
    private final String prefix;
    private final Duration dedupWindow;
    private final Duration dedupPunctuation;
    private final MeterRegistry registry;
    private final Serde<ChangeEvent> eventSerde;
    private final List<Consumer<KStream<String, ChangeEvent>>> eventSteps;

    private ObserversTopology(Builder builder) {
        this.sources = List.copyOf(builder.sources);
        this.prefix = builder.prefix;
        this.dedupWindow = builder.dedupWindow;
        this.dedupPunctuation = builder.dedupPunctuation;
        this.registry = builder.registry;
        this.eventSerde = builder.eventSerde;
        this.eventSteps = List.copyOf(builder.eventSteps);
    }

    /** A builder reading the change topics of the given connectors. */
    public static Builder builder(List<CdcSource> sources) {
        return new Builder(sources);
    }

    /** The events topic for an application prefix. */
    public static String eventsTopic(String prefix) {
        return prefix + ".events";
    }

    /** The events DLQ topic for an application prefix. */
    public static String eventsDlqTopic(String prefix) {
        return prefix + ".events.dlq";
    }

    /**
     * The regex that selects the change topics of all configured connectors. The product's own
     * topics are left out: when a connector's {@code topic_prefix} equals the app prefix, {@code
     * <prefix>.events} and {@code <prefix>.jobs...} would otherwise be read back as changes.
     */
    public Pattern sourcePattern() {
        TopicNames own = new TopicNames(prefix);
        String ownTopics =
                Stream.of(
                                        own.events(),
                                        own.eventsDlq(),
                                        own.jobs(),
                                        own.jobsDlq(),
                                        own.jobsOutcomes())
                                .map(Pattern::quote)
                                .collect(Collectors.joining("|"))
                        + "|"
                        + Pattern.quote(prefix + ".jobs.retry.")
                        + ".+";
        return Pattern.compile(
                "(?!(?:"
                        + ownTopics
                        + ")$)(?:"
                        + sources.stream()
                                .map(CdcSource::topicRegex)
                                .collect(Collectors.joining("|"))
                        + ")");
    }

    /** A complete topology: this part plus the steps given to {@link Builder#onEvents}. */
    public Topology build() {
        StreamsBuilder streams = new StreamsBuilder();
        KStream<String, ChangeEvent> events = addTo(streams);
        eventSteps.forEach(step -> step.accept(events));
        return streams.build();
    }

    /**
     * Adds this part to a builder and returns the events stream for further steps in the same
     * sub-topology.
     */
    public KStream<String, ChangeEvent> addTo(StreamsBuilder streams) {
        streams.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(DEDUP_STORE),
                        Serdes.String(),
                        Serdes.Long()));
        streams.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(ENTITY_STORE), Serdes.String(), eventSerde));

        DebeziumNormalizer normalizer = new DebeziumNormalizer(sources);
        TopologyMetrics metrics = new TopologyMetrics(registry);
        KStream<String, Routed> routed =
                streams.stream(
                                sourcePattern(),
                                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                                        .withName("change-topics"))
                        .process(
                                () ->
                                        new ChangeProcessor(
                                                normalizer, metrics, dedupWindow, dedupPunctuation),
                                org.apache.kafka.streams.kstream.Named.as(PROCESSOR_NAME),
                                DEDUP_STORE,
                                ENTITY_STORE);

        routed.filter((key, value) -> value instanceof Routed.DeadLetter)
                .map(
                        (key, value) -> {
                            Routed.DeadLetter letter = (Routed.DeadLetter) value;
                            return KeyValue.pair(letter.key(), letter.value());
                        })
                .to(eventsDlqTopic(prefix), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));

        KStream<String, ChangeEvent> events =
                routed.filter((key, value) -> value instanceof Routed.Event)
                        .mapValues(value -> ((Routed.Event) value).event());
        events.to(eventsTopic(prefix), Produced.with(Serdes.String(), eventSerde));
        return events;
    }

    /** Settings of the topology; every one has a default but the sources. */
    public static final class Builder {
        private final List<CdcSource> sources;
        private String prefix = DEFAULT_PREFIX;
        private Duration dedupWindow = DEFAULT_DEDUP_WINDOW;
        private Duration dedupPunctuation = DEFAULT_DEDUP_PUNCTUATION;
        private MeterRegistry registry = new SimpleMeterRegistry();
        private Serde<ChangeEvent> eventSerde = ObserverSerdes.changeEvent();
        private final List<Consumer<KStream<String, ChangeEvent>>> eventSteps = new ArrayList<>();

        private Builder(List<CdcSource> sources) {
            Objects.requireNonNull(sources, "sources");
            if (sources.isEmpty()) {
                throw new IllegalArgumentException(
                        "the topology needs at least one connector to read from");
            }
            this.sources = sources;
        }

        /** The application topic prefix (default {@value ObserversTopology#DEFAULT_PREFIX}). */
        public Builder topicPrefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** How long an event identity is remembered (default 24 h). */
        public Builder dedupWindow(Duration window) {
            this.dedupWindow = positive(window, "dedup window");
            return this;
        }

        /** How often expired identities are removed (default 1 min, wall-clock time). */
        public Builder dedupPunctuation(Duration interval) {
            this.dedupPunctuation = positive(interval, "dedup punctuation interval");
            return this;
        }

        /** Where the counters are registered (default a private simple registry). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The value serde of the events topic and the entity cache (default single-object). */
        public Builder eventSerde(Serde<ChangeEvent> serde) {
            this.eventSerde = Objects.requireNonNull(serde, "serde");
            return this;
        }

        /** A step that consumes the events stream in the same sub-topology (see class doc). */
        public Builder onEvents(Consumer<KStream<String, ChangeEvent>> step) {
            eventSteps.add(Objects.requireNonNull(step, "step"));
            return this;
        }

        /** The configured topology part. */
        public ObserversTopology create() {
            return new ObserversTopology(this);
        }

        /** Shorthand for {@code create().build()}. */
        public Topology build() {
            return create().build();
        }

        private static Duration positive(Duration value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(what + " must be positive, got " + value);
            }
            return value;
        }
    }
}
