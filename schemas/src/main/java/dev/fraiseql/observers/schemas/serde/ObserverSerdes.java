package dev.fraiseql.observers.schemas.serde;

import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.JobOutcome;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * The serdes of the records the product writes to its own topics. Without settings (or with
 * settings that name no registry) they use Avro's single-object encoding with the schemas shipped
 * in this module; with a schema registry URL they use the Confluent wire format and register each
 * writer schema under {@code <topic>-value}. One registry client (and its cache) is shared by all
 * serdes of one registry URL.
 */
public final class ObserverSerdes {
    private static final Map<URI, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

    private ObserverSerdes() {}

    /** The value serde of {@code observers.events}. */
    public static Serde<ChangeEvent> changeEvent() {
        return new SingleObjectSerde<>(ChangeEvent.class);
    }

    /** The value serde of {@code observers.jobs}, its retry topics and its DLQ. */
    public static Serde<Job> job() {
        return new SingleObjectSerde<>(Job.class);
    }

    /** The value serde of {@code observers.jobs.outcomes}. */
    public static Serde<JobOutcome> jobOutcome() {
        return new SingleObjectSerde<>(JobOutcome.class);
    }

    /** The value serde of {@code observers.events} for the settings. */
    public static Serde<ChangeEvent> changeEvent(SerdeSettings settings) {
        return serde(ChangeEvent.class, settings);
    }

    /** The value serde of {@code observers.jobs} and its retry and DLQ topics for the settings. */
    public static Serde<Job> job(SerdeSettings settings) {
        return serde(Job.class, settings);
    }

    /** The value serde of {@code observers.jobs.outcomes} for the settings. */
    public static Serde<JobOutcome> jobOutcome(SerdeSettings settings) {
        return serde(JobOutcome.class, settings);
    }

    private static <T extends SpecificRecord> Serde<T> serde(
            Class<T> type, SerdeSettings settings) {
        if (settings.registry().isEmpty()) {
            return new SingleObjectSerde<>(type);
        }
        SchemaRegistryClient client =
                CLIENTS.computeIfAbsent(
                        settings.registryUrl(),
                        url -> new SchemaRegistryClient(url, settings.registryTimeout()));
        return new ConfluentAvroSerde<>(type, client);
    }
}
