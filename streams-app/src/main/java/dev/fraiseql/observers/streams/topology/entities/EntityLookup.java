package dev.fraiseql.observers.streams.topology.entities;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.values.RowCodec;
import dev.fraiseql.observers.streams.topology.ObserversTopology;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the cached row of one entity from the {@value ObserversTopology#ENTITY_STORE} store of a
 * running {@link KafkaStreams}, and says which instance owns a key when it is not this one (from
 * the instances' {@code application.server} settings).
 */
public final class EntityLookup {
    private final KafkaStreams streams;
    private final HostInfo self;

    /**
     * @param streams the running topology
     * @param self this instance's {@code application.server} host and port, or null when only one
     *     instance runs (no forwarding)
     */
    public EntityLookup(KafkaStreams streams, HostInfo self) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.self = self;
    }

    /** Where a key lives. */
    public sealed interface Owner {
        /** This instance holds the key's partition. */
        record Local() implements Owner {}

        /** Another instance does; ask it. */
        record Remote(HostInfo host) implements Owner {}

        /** No instance holds it now (rebalancing, or the store is not ready). */
        record Unavailable() implements Owner {}
    }

    /** Which instance holds the entity key. */
    public Owner owner(String entityKey) {
        if (self == null) {
            return new Owner.Local();
        }
        KeyQueryMetadata metadata =
                streams.queryMetadataForKey(
                        ObserversTopology.ENTITY_STORE, entityKey, Serdes.String().serializer());
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            return new Owner.Unavailable();
        }
        HostInfo active = metadata.activeHost();
        return active.equals(self) ? new Owner.Local() : new Owner.Remote(active);
    }

    /**
     * The cached row of an entity key as JSON: {@code entity}, {@code key}, {@code row}, {@code
     * op}, {@code eventId}, {@code commitTime}, {@code unavailable}; empty when the key is unknown
     * or its last change was a DELETE.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException when the store cannot be
     *     read now (rebalancing)
     */
    public Optional<ObjectNode> local(String entityKey) {
        ReadOnlyKeyValueStore<String, ChangeEvent> store =
                streams.store(
                        StoreQueryParameters.fromNameAndType(
                                ObserversTopology.ENTITY_STORE,
                                QueryableStoreTypes.<String, ChangeEvent>keyValueStore()));
        ChangeEvent cached = store.get(entityKey);
        if (cached == null || cached.getAfter() == null) {
            return Optional.empty();
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("entity", cached.getEntity());
        out.set("key", RowJson.row(RowCodec.toJava(cached.getKey())));
        out.set("row", RowJson.row(RowCodec.toJava(cached.getAfter())));
        out.put("op", cached.getOp().name().toLowerCase(java.util.Locale.ROOT));
        out.put("eventId", cached.getEventId());
        out.put(
                "commitTime",
                Instant.EPOCH.plus(cached.getCommitTimeMicros(), ChronoUnit.MICROS).toString());
        var unavailable = out.putArray("unavailable");
        cached.getUnavailable().forEach(unavailable::add);
        return Optional.of(out);
    }
}
