package dev.fraiseql.observers.streams.topology.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ConnectJsonReaderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SCHEMA =
            "{\"type\":\"struct\",\"name\":\"shop.public.orders.Envelope\",\"fields\":["
                    + "{\"field\":\"id\",\"type\":\"int32\",\"optional\":false}]}";

    private final ConnectJsonReader reader = new ConnectJsonReader(MAPPER);

    private static byte[] record(String schema, String payload) {
        return ("{\"schema\":" + schema + ",\"payload\":" + payload + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRepeatedSchemaIsParsedOnceAndReadsAsTheSameTree() throws Exception {
        ConnectJsonReader.Envelope first = reader.read(record(SCHEMA, "{\"id\":1}"), "value");
        ConnectJsonReader.Envelope second = reader.read(record(SCHEMA, "{\"id\":2}"), "value");

        assertThat(first.schema()).isEqualTo(MAPPER.readTree(SCHEMA));
        assertThat(second.schema()).isSameAs(first.schema());
        assertThat(first.payload().path("id").asInt()).isEqualTo(1);
        assertThat(second.payload().path("id").asInt()).isEqualTo(2);
        assertThat(reader.cachedSchemas()).isEqualTo(1);
    }

    @Test
    void aSchemaThatDiffersByOneByteIsAnotherSchema() throws Exception {
        String optional = SCHEMA.replace("\"optional\":false", "\"optional\":true ");
        ConnectJsonReader.Envelope first = reader.read(record(SCHEMA, "{\"id\":1}"), "value");
        ConnectJsonReader.Envelope second = reader.read(record(optional, "{\"id\":1}"), "value");

        assertThat(second.schema()).isEqualTo(MAPPER.readTree(optional));
        assertThat(second.schema().path("fields").path(0).path("optional").asBoolean()).isTrue();
        assertThat(first.schema().path("fields").path(0).path("optional").asBoolean()).isFalse();
        assertThat(reader.cachedSchemas()).isEqualTo(2);
    }

    @Test
    void theSchemaIsFoundWhereverItStandsAndWithMultiByteTextBeforeIt() throws Exception {
        byte[] bytes =
                ("{\"payload\":{\"name\":\"Zoë ☃\"},\"extra\":[1,{\"a\":2}],\"schema\":"
                                + SCHEMA
                                + "}")
                        .getBytes(StandardCharsets.UTF_8);

        ConnectJsonReader.Envelope envelope = reader.read(bytes, "value");

        assertThat(envelope.schema()).isEqualTo(MAPPER.readTree(SCHEMA));
        assertThat(envelope.payload().path("name").asText()).isEqualTo("Zoë ☃");
    }

    @Test
    void nullOtherValuesAndMissingHalvesAreToldApart() {
        assertThat(reader.read("null".getBytes(StandardCharsets.UTF_8), "value").isNull()).isTrue();
        ConnectJsonReader.Envelope array =
                reader.read("[1,2]".getBytes(StandardCharsets.UTF_8), "value");
        assertThat(array.isObject()).isFalse();
        assertThat(array.schema()).isNull();
        ConnectJsonReader.Envelope plain =
                reader.read("{\"id\":1}".getBytes(StandardCharsets.UTF_8), "value");
        assertThat(plain.isObject()).isTrue();
        assertThat(plain.schema()).isNull();
        assertThat(plain.payload()).isNull();
    }

    @Test
    void truncatedJsonIsUnreadableAndSaysWhichPart() {
        byte[] whole = record(SCHEMA, "{\"id\":1}");
        byte[] truncated = Arrays.copyOf(whole, whole.length / 2);

        assertThatThrownBy(() -> reader.read(truncated, "key"))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageStartingWith("key is not JSON (" + truncated.length + " bytes)");
        assertThatThrownBy(() -> reader.read("[1,".getBytes(StandardCharsets.UTF_8), "value"))
                .isInstanceOf(UnreadableRecordException.class);
    }

    @Test
    void theCacheStartsOverWhenFull() {
        for (int i = 0; i <= ConnectJsonReader.MAX_SCHEMAS; i++) {
            reader.read(record(SCHEMA.replace("\"id\"", "\"c" + i + "\""), "{}"), "value");
        }

        assertThat(reader.cachedSchemas()).isEqualTo(1);
    }
}
