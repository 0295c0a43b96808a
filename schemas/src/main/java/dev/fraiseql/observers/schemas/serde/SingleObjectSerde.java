package dev.fraiseql.observers.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for a generated Avro class in Avro's single-object encoding: the two marker bytes
 * {@code C3 01}, the 8-byte fingerprint of the writer schema, then the binary record. The schema
 * versions shipped in this module are the only ones it reads; no registry is needed.
 */
public final class SingleObjectSerde<T extends SpecificRecord> implements Serde<T> {
    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    /** A serde for the generated class. */
    public SingleObjectSerde(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
        SpecificData data = SpecificData.getForClass(type);
        org.apache.avro.Schema schema = data.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(data, schema);
        this.decoder = new BinaryMessageDecoder<>(data, schema);
    }

    /** Encodes one record. */
    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "could not encode a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes one record; a wrong marker, unknown schema or truncated body is a
     * SerializationException.
     */
    public T decode(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "could not decode a "
                            + type.getSimpleName()
                            + " ("
                            + bytes.length
                            + " bytes): "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, record) -> record == null ? null : encode(record);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }
}
