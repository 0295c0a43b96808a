package dev.fraiseql.observers.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Operation;
import dev.fraiseql.observers.schemas.SourcePosition;
import dev.fraiseql.observers.schemas.values.RowCodec;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry serde against a loopback HTTP server that answers as the Confluent Schema Registry
 * API documents: {@code POST /subjects/{subject}/versions} answers {@code {"id": n}} (the same id
 * for the same schema), {@code GET /schemas/ids/{id}} answers {@code {"schema": "..."}}, unknown
 * ids answer 404 with {@code {"error_code": 40403, "message": "Schema not found"}}.
 */
class ConfluentAvroSerdeTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TOPIC = "observers.events";

    private HttpServer server;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> idsBySchema = new ConcurrentHashMap<>();
    private final Map<Integer, String> schemasById = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(100);
    private volatile String rejectSubject;

    @BeforeEach
    void startRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stopRegistry() {
        server.stop(0);
    }

    @Test
    void recordIsFramedWithMagicByteAndRegisteredIdAndReadsBack() {
        Serde<ChangeEvent> serde = ObserverSerdes.changeEvent(settings());

        byte[] bytes = serde.serializer().serialize(TOPIC, event("1234.50"));
        ChangeEvent back = serde.deserializer().deserialize(TOPIC, bytes);

        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(100);
        assertThat(calls).containsExactly("POST /subjects/observers.events-value/versions");
        assertThat(RowCodec.toJava(back.getAfter()).get("amount"))
                .isEqualTo(new BigDecimal("1234.50"));
        assertThat(back).isEqualTo(event("1234.50"));
    }

    @Test
    void registeredIdAndFetchedSchemaAreCached() {
        Serde<ChangeEvent> writer = ObserverSerdes.changeEvent(settings());
        Serde<ChangeEvent> reader =
                new ConfluentAvroSerde<>(
                        ChangeEvent.class,
                        new SchemaRegistryClient(registryUrl(), SerdeSettings.DEFAULT_TIMEOUT));

        for (int i = 0; i < 5; i++) {
            byte[] bytes = writer.serializer().serialize(TOPIC, event(i + ".00"));
            reader.deserializer().deserialize(TOPIC, bytes);
        }

        assertThat(calls)
                .containsExactly(
                        "POST /subjects/observers.events-value/versions", "GET /schemas/ids/100");
    }

    @Test
    void registrySchemaOfTheSubjectIsSentAsAvroJson() throws IOException {
        ObserverSerdes.changeEvent(settings()).serializer().serialize(TOPIC, event("1.00"));

        String registered = schemasById.get(100);
        assertThat(MAPPER.readTree(registered).path("name").asText()).isEqualTo("ChangeEvent");
        assertThat(MAPPER.readTree(registered).path("namespace").asText())
                .isEqualTo("dev.fraiseql.observers.schemas");
    }

    @Test
    void unknownSchemaIdFailsWithTheRegistryErrorCode() {
        Serde<ChangeEvent> serde = ObserverSerdes.changeEvent(settings());
        byte[] bytes = {0, 0, 0, 0, 42, 2, 3};

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("fetch schema id 42")
                .hasMessageContaining("HTTP 404, error_code 40403: Schema not found");
    }

    @Test
    void rejectedRegistrationFailsWithTheRegistryMessage() {
        rejectSubject = "observers.events-value";
        Serde<ChangeEvent> serde = ObserverSerdes.changeEvent(settings());

        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, event("1.00")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("HTTP 409, error_code 409")
                .hasMessageContaining("Schema being registered is incompatible");
    }

    @Test
    void singleObjectBytesAreRejectedByTheRegistryReader() {
        byte[] singleObject =
                ObserverSerdes.changeEvent().serializer().serialize(TOPIC, event("1.00"));

        assertThatThrownBy(
                        () ->
                                ObserverSerdes.changeEvent(settings())
                                        .deserializer()
                                        .deserialize(TOPIC, singleObject))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("expected magic byte 0");
    }

    @Test
    void settingsWithoutUrlGiveSingleObjectEncoding() {
        Serde<ChangeEvent> serde =
                ObserverSerdes.changeEvent(SerdeSettings.fromProperties(Map.of()));

        byte[] bytes = serde.serializer().serialize(TOPIC, event("1.00"));

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(calls).isEmpty();
    }

    private SerdeSettings settings() {
        return SerdeSettings.fromProperties(
                Map.of(SerdeSettings.REGISTRY_URL, registryUrl().toString()));
    }

    private URI registryUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            calls.add(method + " " + path);
            if ("POST".equals(method)
                    && path.startsWith("/subjects/")
                    && path.endsWith("/versions")) {
                String subject =
                        path.substring("/subjects/".length(), path.length() - "/versions".length());
                if (subject.equals(rejectSubject)) {
                    send(
                            exchange,
                            409,
                            "{\"error_code\":409,\"message\":\"Schema being"
                                    + " registered is incompatible with an earlier schema\"}");
                    return;
                }
                JsonNode body = MAPPER.readTree(exchange.getRequestBody());
                String schema = body.path("schema").asText();
                int id = idsBySchema.computeIfAbsent(schema, s -> nextId.getAndIncrement());
                schemasById.put(id, schema);
                send(exchange, 200, "{\"id\":" + id + "}");
                return;
            }
            if ("GET".equals(method) && path.startsWith("/schemas/ids/")) {
                String schema =
                        schemasById.get(Integer.parseInt(path.substring("/schemas/ids/".length())));
                if (schema == null) {
                    send(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
                } else {
                    send(exchange, 200, MAPPER.writeValueAsString(Map.of("schema", schema)));
                }
                return;
            }
            send(exchange, 404, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}");
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static ChangeEvent event(String amount) {
        return ChangeEvent.newBuilder()
                .setEventId("e-" + amount)
                .setConnector("shop-db")
                .setEntity("public.rental")
                .setOp(Operation.UPDATE)
                .setKey(RowCodec.toAvro(Map.of("rental_id", 1L)))
                .setAfter(RowCodec.toAvro(Map.of("amount", new BigDecimal(amount))))
                .setSource(
                        SourcePosition.newBuilder()
                                .setConnectorType("postgresql")
                                .setChangeLsn(1000L)
                                .build())
                .setCommitTimeMicros(1L)
                .setCaptureTimeMicros(2L)
                .build();
    }
}
