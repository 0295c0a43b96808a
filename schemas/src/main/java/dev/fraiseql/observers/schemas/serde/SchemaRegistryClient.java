package dev.fraiseql.observers.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A small client of the Confluent Schema Registry REST API, the API that Confluent Schema Registry,
 * Redpanda, Karapace and Apicurio's {@code /apis/ccompat/v7} endpoint all serve. It uses two calls:
 *
 * <ul>
 *   <li>{@code POST /subjects/{subject}/versions} with {@code {"schema": "<Avro JSON>"}}: registers
 *       (or finds) the schema and answers {@code {"id": n}};
 *   <li>{@code GET /schemas/ids/{id}}: answers {@code {"schema": "<Avro JSON>"}}.
 * </ul>
 *
 * <p>Both answers are cached for the life of the client (ids are immutable in a registry), so a
 * steady stream of records makes no HTTP call. Errors carry the registry's {@code error_code} and
 * {@code message}.
 *
 * <p>Limits: no authentication header and no TLS client certificate are sent; the registry must
 * accept anonymous calls from the product (or sit behind a proxy that adds credentials).
 */
public final class SchemaRegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI baseUrl;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    /** A client of the registry at the base URL (for example {@code http://registry:8081}). */
    public SchemaRegistryClient(URI baseUrl, Duration timeout) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String text = baseUrl.toString();
        this.baseUrl = URI.create(text.endsWith("/") ? text : text + "/");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The schema's id under the subject, registering it on first use. */
    public int register(String subject, Schema schema) {
        String cacheKey = subject + '\n' + schema.toString();
        Integer cached = idsBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        String body;
        try {
            body = MAPPER.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (IOException e) {
            throw new SerializationException("could not encode a schema registration", e);
        }
        HttpRequest request =
                request("subjects/" + encode(subject) + "/versions")
                        .header("Content-Type", CONTENT_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        JsonNode answer =
                call(
                        request,
                        "register the schema of "
                                + schema.getFullName()
                                + " under subject '"
                                + subject
                                + "'");
        int id = requireField(answer, "id", request).asInt();
        idsBySubjectAndSchema.put(cacheKey, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** The schema with the given id. */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        HttpRequest request = request("schemas/ids/" + id).GET().build();
        JsonNode answer = call(request, "fetch schema id " + id);
        Schema schema = new Schema.Parser().parse(requireField(answer, "schema", request).asText());
        schemasById.put(id, schema);
        return schema;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(timeout)
                .header("Accept", CONTENT_TYPE + ", application/json");
    }

    private JsonNode call(HttpRequest request, String purpose) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SerializationException(
                    "schema registry at " + baseUrl + " did not answer (" + purpose + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SerializationException("interrupted while asking the schema registry", e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            throw new SerializationException(
                    "schema registry could not "
                            + purpose
                            + ": HTTP "
                            + response.statusCode()
                            + ", error_code "
                            + body.path("error_code").asText("?")
                            + ": "
                            + body.path("message").asText(response.body()));
        }
        return body;
    }

    private static JsonNode requireField(JsonNode answer, String field, HttpRequest request) {
        JsonNode value = answer.get(field);
        if (value == null || value.isNull()) {
            throw new SerializationException(
                    "schema registry answer to " + request.uri() + " has no '" + field + "'");
        }
        return value;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank()
                    ? MAPPER.createObjectNode()
                    : MAPPER.readTree(body);
        } catch (IOException e) {
            return MAPPER.createObjectNode().put("message", body);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
