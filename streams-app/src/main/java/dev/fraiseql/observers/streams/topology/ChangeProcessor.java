package dev.fraiseql.observers.streams.topology;

import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Operation;
import dev.fraiseql.observers.schemas.values.EntityKeys;
import dev.fraiseql.observers.schemas.values.RowCodec;
import dev.fraiseql.observers.streams.topology.normalize.DebeziumNormalizer;
import dev.fraiseql.observers.streams.topology.normalize.NormalizationException;
import dev.fraiseql.observers.streams.topology.normalize.NormalizedChange;
import dev.fraiseql.observers.streams.topology.normalize.UnreadableRecordException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one Debezium record into at most one change event: normalize, drop duplicates, complete the
 * row from the entity cache, update the cache. A record that fails is sent on as a dead letter and
 * processing goes on with the next record.
 *
 * <p>Entity cache entries (store {@value ObserversTopology#ENTITY_STORE}), keyed by {@link
 * EntityKeys}:
 *
 * <ul>
 *   <li>{@code <entity>/<key>}: the last applied event of that row (its {@code after} image and
 *       source position; a DELETE leaves the delete event, so a late older change is still known to
 *       be stale);
 *   <li>{@code <entity>#truncated}: the last TRUNCATE of the table, older changes are stale;
 *   <li>{@code <entity>#deleted}: the table's last DELETE, which a CREATE at the same source
 *       position turns into a re-key (PostgreSQL sends a primary-key update as a DELETE of the old
 *       key and a CREATE of the new key, both at the update's LSN).
 * </ul>
 *
 * <p>Limits: a re-key is linked only when the old and the new key are on the same partition of the
 * change topic (always true for single-partition change topics); the DELETE of the old key is still
 * written, as the old key's last event. Rows of tables without a primary key bypass the cache.
 * Entity names are {@code schema.table}: two connectors that capture tables of the same name share
 * cache entries.
 */
final class ChangeProcessor implements Processor<byte[], byte[], String, Routed> {
    private static final Logger log = LoggerFactory.getLogger(ChangeProcessor.class);
    private static final int MAX_ERROR_MESSAGE = 1000;

    /** The largest change record read: 1 MiB. */
    static final int MAX_RECORD_BYTES = 1 << 20;

    /** How much of an oversized record its dead letter keeps. */
    static final int KEPT_HEAD_BYTES = 64 * 1024;

    private final DebeziumNormalizer normalizer;
    private final TopologyMetrics metrics;
    private final Duration dedupWindow;
    private final Duration dedupPunctuationInterval;

    private ProcessorContext<String, Routed> context;
    private KeyValueStore<String, Long> dedup;
    private KeyValueStore<String, ChangeEvent> entities;

    ChangeProcessor(
            DebeziumNormalizer normalizer,
            TopologyMetrics metrics,
            Duration dedupWindow,
            Duration dedupPunctuationInterval) {
        this.normalizer = normalizer;
        this.metrics = metrics;
        this.dedupWindow = dedupWindow;
        this.dedupPunctuationInterval = dedupPunctuationInterval;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        this.dedup = context.getStateStore(ObserversTopology.DEDUP_STORE);
        this.entities = context.getStateStore(ObserversTopology.ENTITY_STORE);
        context.schedule(dedupPunctuationInterval, PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() != null && record.value().length > MAX_RECORD_BYTES) {
            // Its event would be over the producer's and the broker's default 1 MiB limit: writing
            // it
            // would fail the task again at every restart. The DLQ record keeps only the head of it.
            deadLetter(
                    withHead(record),
                    "size",
                    new NormalizationException(
                            "record of "
                                    + record.value().length
                                    + " bytes is over the "
                                    + MAX_RECORD_BYTES
                                    + "-byte limit of a change record; the DLQ record keeps its"
                                    + " first "
                                    + KEPT_HEAD_BYTES
                                    + " bytes, the whole record stays at the source offset"));
            return;
        }
        Optional<NormalizedChange> change;
        try {
            change = normalizer.normalize(record.key(), record.value());
        } catch (UnreadableRecordException e) {
            deadLetter(record, "read", e);
            return;
        } catch (NormalizationException e) {
            deadLetter(record, "normalize", e);
            return;
        }
        if (change.isEmpty()) {
            metrics.skipped();
            return;
        }

        try {
            apply(change.get(), record);
        } catch (KafkaException e) {
            // A store or producer failure belongs to Kafka Streams (it may mean the task moved).
            throw e;
        } catch (RuntimeException e) {
            deadLetter(record, "cache", e);
        }
    }

    private void apply(NormalizedChange change, Record<byte[], byte[]> record) {
        boolean keyed = !change.key().isEmpty();
        String entityKey =
                keyed
                        ? EntityKeys.of(change.entity(), change.key())
                        : EntityKeys.prefix(change.entity());
        String eventId = eventId(change);
        if (dedup.get(eventId) != null) {
            metrics.duplicate();
            log.debug("Dropped duplicate event {} of {}", eventId, entityKey);
            return;
        }
        if (change.op() == Operation.TRUNCATE) {
            truncate(change, eventId, record);
            return;
        }

        ChangeEvent cached = keyed ? entities.get(entityKey) : null;
        if (isAlreadyApplied(change, cached, entityKey)) {
            return;
        }

        ChangeEvent event = complete(change, eventId, cached, keyed);
        if (keyed) {
            remember(event, entityKey);
        }
        dedup.put(eventId, context.currentSystemTimeMs());
        emit(event, entityKey, record);
    }

    /** True (and counted) when the cache says this change, or a newer one, was already applied. */
    private boolean isAlreadyApplied(NormalizedChange change, ChangeEvent cached, String key) {
        ChangeEvent truncated = entities.get(truncatedKey(change.entity()));
        if (truncated != null) {
            OptionalInt order = SourcePositions.compare(change.source(), truncated.getSource());
            if (order.isPresent() && order.getAsInt() < 0) {
                metrics.stale();
                log.debug("Dropped change of {} older than the table's TRUNCATE", key);
                return true;
            }
        }
        if (cached == null) {
            return false;
        }
        OptionalInt order = SourcePositions.compare(change.source(), cached.getSource());
        if (order.isEmpty() || order.getAsInt() > 0) {
            return false;
        }
        if (order.getAsInt() == 0) {
            metrics.duplicate();
            log.debug("Dropped re-sent change of {} (same source position as the cache)", key);
        } else {
            metrics.stale();
            log.debug("Dropped stale change of {} (older than the applied one)", key);
        }
        return true;
    }

    private ChangeEvent complete(
            NormalizedChange change, String eventId, ChangeEvent cached, boolean keyed) {
        Operation op = change.op();
        Map<String, Object> before = copy(change.before());
        Map<String, Object> after = copy(change.after());
        Map<String, Object> cachedRow = cached == null ? null : RowCodec.toJava(cached.getAfter());
        Set<String> cachedUnavailable =
                cached == null ? Set.of() : new LinkedHashSet<>(cached.getUnavailable());
        Set<String> unavailable = new LinkedHashSet<>();
        boolean rebuilt = false;
        Map<String, Object> previousKey = null;

        ChangeEvent deleted = keyed ? entities.get(deletedKey(change.entity())) : null;
        if (op == Operation.CREATE && isRekey(change, deleted)) {
            // The CREATE half of a primary-key update: link it to the DELETE of the old key.
            op = Operation.UPDATE;
            previousKey = RowCodec.toJava(deleted.getKey());
            before = copy(RowCodec.toJava(deleted.getBefore()));
            rebuilt = deleted.getBeforeRebuilt();
            cachedRow = before;
            cachedUnavailable = new LinkedHashSet<>(deleted.getUnavailable());
        } else if (needsCachedBefore(op, before, change.key()) && cachedRow != null) {
            before = new LinkedHashMap<>(cachedRow);
            rebuilt = true;
            metrics.cacheHit();
        } else if (needsCachedBefore(op, before, change.key())) {
            metrics.cacheMiss();
        }

        fill(after, change.placeholderAfter(), cachedRow, cachedUnavailable, unavailable);
        fill(before, change.placeholderBefore(), cachedRow, cachedUnavailable, unavailable);
        if (rebuilt) {
            unavailable.addAll(cachedUnavailable);
        }

        return ChangeEvent.newBuilder()
                .setEventId(eventId)
                .setConnector(change.connector())
                .setEntity(change.entity())
                .setOp(op)
                .setKey(RowCodec.toAvro(change.key()))
                .setBefore(RowCodec.toAvro(before))
                .setAfter(RowCodec.toAvro(after))
                .setChanged(changed(op, before, after, unavailable))
                .setUnavailable(new ArrayList<>(unavailable))
                .setBeforeRebuilt(rebuilt)
                .setPreviousKey(RowCodec.toAvro(previousKey))
                .setSource(change.source())
                .setCommitTimeMicros(change.commitTimeMicros())
                .setCaptureTimeMicros(change.captureTimeMicros())
                .build();
    }

    private static boolean isRekey(NormalizedChange change, ChangeEvent deleted) {
        if (deleted == null) {
            return false;
        }
        OptionalInt order = SourcePositions.compare(change.source(), deleted.getSource());
        return order.isPresent()
                && order.getAsInt() == 0
                && !RowCodec.toJava(deleted.getKey()).equals(change.key());
    }

    /**
     * An UPDATE without a before image (default replica identity), or a DELETE whose before image
     * holds only the key columns, is completed from the cache.
     */
    private static boolean needsCachedBefore(
            Operation op, Map<String, Object> before, Map<String, Object> key) {
        if (op == Operation.UPDATE) {
            return before == null;
        }
        if (op == Operation.DELETE) {
            return before == null
                    || before.entrySet().stream()
                            .allMatch(e -> key.containsKey(e.getKey()) || e.getValue() == null);
        }
        return false;
    }

    private void fill(
            Map<String, Object> row,
            Set<String> placeholders,
            Map<String, Object> cachedRow,
            Set<String> cachedUnavailable,
            Set<String> unavailable) {
        if (row == null) {
            return;
        }
        for (String column : placeholders) {
            if (cachedRow != null
                    && cachedRow.containsKey(column)
                    && !cachedUnavailable.contains(column)) {
                row.put(column, cachedRow.get(column));
                metrics.cacheHit();
            } else {
                row.put(column, null);
                unavailable.add(column);
                metrics.cacheMiss();
            }
        }
    }

    /**
     * Changed columns: every column of a created row, every column of a deleted row, the columns
     * whose values differ for an update with a before image, none when the before image is unknown.
     * Unavailable columns are never listed.
     */
    private static List<String> changed(
            Operation op,
            Map<String, Object> before,
            Map<String, Object> after,
            Set<String> unavailable) {
        List<String> out = new ArrayList<>();
        if ((op == Operation.CREATE || op == Operation.READ) && after != null) {
            out.addAll(after.keySet());
        } else if (op == Operation.DELETE && before != null) {
            out.addAll(before.keySet());
        } else if (op == Operation.UPDATE && before != null && after != null) {
            for (Map.Entry<String, Object> column : after.entrySet()) {
                if (!sameValue(before.get(column.getKey()), column.getValue())
                        || !before.containsKey(column.getKey())) {
                    out.add(column.getKey());
                }
            }
        }
        out.removeAll(unavailable);
        return out;
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }

    private void remember(ChangeEvent event, String entityKey) {
        // The cache needs only the row and its position; the before image is kept for deletes,
        // which a following re-key reads.
        ChangeEvent entry = ChangeEvent.newBuilder(event).setChanged(List.of()).build();
        if (event.getOp() == Operation.DELETE) {
            entities.put(entityKey, entry);
            entities.put(deletedKey(event.getEntity()), entry);
            metrics.evicted(1);
            return;
        }
        entry.setBefore(null);
        entities.put(entityKey, entry);
        if (event.getPreviousKey() != null) {
            entities.delete(deletedKey(event.getEntity()));
        }
    }

    private void truncate(NormalizedChange change, String eventId, Record<byte[], byte[]> record) {
        String prefix = EntityKeys.prefix(change.entity());
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, ChangeEvent> rows =
                entities.prefixScan(
                        prefix, new org.apache.kafka.common.serialization.StringSerializer())) {
            rows.forEachRemaining(row -> keys.add(row.key));
        }
        keys.forEach(entities::delete);
        metrics.evicted(keys.size());
        entities.delete(deletedKey(change.entity()));

        ChangeEvent event = complete(change, eventId, null, false);
        entities.put(truncatedKey(change.entity()), event);
        dedup.put(eventId, context.currentSystemTimeMs());
        log.info("TRUNCATE of {}: dropped {} cached rows", change.entity(), keys.size());
        emit(event, prefix, record);
    }

    private void emit(ChangeEvent event, String entityKey, Record<byte[], byte[]> source) {
        metrics.processed(event.getOp().name().toLowerCase(java.util.Locale.ROOT));
        context.forward(
                new Record<String, Routed>(
                        entityKey,
                        new Routed.Event(event),
                        source.timestamp(),
                        new RecordHeaders()));
    }

    private void deadLetter(Record<byte[], byte[]> record, String stage, Exception error) {
        Optional<RecordMetadata> origin = context.recordMetadata();
        String topic = origin.map(RecordMetadata::topic).orElse("");
        String partition = origin.map(m -> Integer.toString(m.partition())).orElse("");
        String offset = origin.map(m -> Long.toString(m.offset())).orElse("");
        log.warn(
                "[{}-{}@{}] record sent to the events DLQ at stage {}: {}",
                topic,
                partition,
                offset,
                stage,
                error.toString());

        Headers headers = new RecordHeaders(record.headers().toArray());
        header(headers, DeadLetterHeaders.SOURCE_TOPIC, topic);
        header(headers, DeadLetterHeaders.SOURCE_PARTITION, partition);
        header(headers, DeadLetterHeaders.SOURCE_OFFSET, offset);
        header(headers, DeadLetterHeaders.STAGE, stage);
        header(headers, DeadLetterHeaders.ERROR_CLASS, error.getClass().getName());
        header(headers, DeadLetterHeaders.ERROR_MESSAGE, bounded(error.getMessage()));
        metrics.deadLettered(stage);
        context.forward(
                new Record<String, Routed>(
                        null,
                        new Routed.DeadLetter(record.key(), record.value()),
                        record.timestamp(),
                        headers));
    }

    private static Record<byte[], byte[]> withHead(Record<byte[], byte[]> record) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        header(headers, DeadLetterHeaders.ORIGINAL_SIZE, Integer.toString(record.value().length));
        return new Record<>(
                record.key(),
                Arrays.copyOf(record.value(), KEPT_HEAD_BYTES),
                record.timestamp(),
                headers);
    }

    private void expire(long nowMs) {
        long oldestKeptMs = nowMs - dedupWindow.toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = dedup.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (entry.value < oldestKeptMs) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(dedup::delete);
        if (!expired.isEmpty()) {
            log.debug("Expired {} event identities older than {}", expired.size(), dedupWindow);
        }
    }

    private static String eventId(NormalizedChange change) {
        String identity =
                change.connector()
                        + '\n'
                        + change.entity()
                        + '\n'
                        + EntityKeys.canonicalKey(change.key())
                        + '\n'
                        + SourcePositions.identity(change.source());
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String truncatedKey(String entity) {
        return entity + "#truncated";
    }

    private static String deletedKey(String entity) {
        return entity + "#deleted";
    }

    private static Map<String, Object> copy(Map<String, Object> row) {
        return row == null ? null : new LinkedHashMap<>(row);
    }

    private static void header(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8));
    }

    private static String bounded(String message) {
        if (message == null) {
            return "";
        }
        return message.length() <= MAX_ERROR_MESSAGE
                ? message
                : message.substring(0, MAX_ERROR_MESSAGE) + "...";
    }
}
