package dev.fraiseql.observers.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for a generated Avro class in the Confluent wire format: magic byte {@code 0}, the
 * 4-byte big-endian schema id, then the Avro binary record. The writer schema is registered under
 * the subject {@code <topic>-value} (the registry's topic-name strategy); a reader resolves the
 * writer schema by id and reads it into the current generated class (Avro schema resolution), so
 * records written by older or newer versions of the product are read.
 */
public final class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {
    private static final byte MAGIC = 0;

    private final Class<T> type;
    private final SchemaRegistryClient registry;
    private final SpecificData data;
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

    /** A serde for the generated class backed by the registry client. */
    public ConfluentAvroSerde(Class<T> type, SchemaRegistryClient registry) {
        this.type = Objects.requireNonNull(type, "type");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.data = SpecificData.getForClass(type);
        this.schema = data.getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema, data);
    }

    /** Encodes one record for the topic. */
    public byte[] encode(String topic, T record) {
        int id = registry.register(topic + "-value", schema);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(MAGIC);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "could not encode a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Decodes one record. */
    public T decode(byte[] bytes) {
        if (bytes.length < 5 || bytes[0] != MAGIC) {
            throw new SerializationException(
                    "not a Confluent-framed record ("
                            + bytes.length
                            + " bytes, first byte "
                            + (bytes.length == 0 ? "none" : Byte.toString(bytes[0]))
                            + "); expected magic byte 0 and a 4-byte schema id");
        }
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        SpecificDatumReader<T> reader =
                readers.computeIfAbsent(
                        id,
                        key -> new SpecificDatumReader<>(registry.schemaById(key), schema, data));
        try {
            BinaryDecoder decoder =
                    DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null);
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "could not decode a "
                            + type.getSimpleName()
                            + " written with schema id "
                            + id
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, record) -> record == null ? null : encode(topic, record);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }
}
