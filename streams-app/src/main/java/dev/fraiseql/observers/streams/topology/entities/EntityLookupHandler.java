package dev.fraiseql.observers.streams.topology.entities;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.fraiseql.observers.schemas.values.EntityKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /entities/{entity}/{key}}: the cached row of one entity as JSON. Mount it on the
 * context path {@value #PATH}. {@code {entity}} is {@code schema.table}; {@code {key}} is the
 * canonical key of {@link EntityKeys} (for a one-column key, its value), URL-encoded.
 *
 * <p>Answers: 200 with the row; 404 when the key is unknown or deleted; 400 for a malformed path;
 * 405 for a method other than GET; 503 while no instance can serve the key (rebalancing); 502 when
 * the owning instance did not answer. When another instance owns the key, the request is forwarded
 * to it once (the forwarded request carries {@value #FORWARDED_HEADER}, and a forwarded request is
 * always answered locally, so requests never loop).
 */
public final class EntityLookupHandler implements HttpHandler {
    /** The context path to mount this handler on. */
    public static final String PATH = "/entities/";

    /** Marks a request forwarded from another instance. */
    public static final String FORWARDED_HEADER = "X-Observers-Forwarded";

    private static final Logger log = LoggerFactory.getLogger(EntityLookupHandler.class);
    private static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                    .disable(SerializationFeature.INDENT_OUTPUT);

    private final EntityLookup lookup;
    private final HttpClient client;
    private final Duration forwardTimeout;

    /** A handler that forwards with the given client and per-request timeout. */
    public EntityLookupHandler(EntityLookup lookup, HttpClient client, Duration forwardTimeout) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.client = Objects.requireNonNull(client, "client");
        this.forwardTimeout = Objects.requireNonNull(forwardTimeout, "forwardTimeout");
    }

    /** A handler with its own HTTP client and a 5 s forward timeout. */
    public EntityLookupHandler(EntityLookup lookup) {
        this(
                lookup,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                Duration.ofSeconds(5));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Allow", "GET");
                send(exchange, 405, error("only GET is supported"));
                return;
            }
            Optional<String> entityKey = entityKey(exchange.getRequestURI().getRawPath());
            if (entityKey.isEmpty()) {
                send(exchange, 400, error("expected " + PATH + "{entity}/{key}"));
                return;
            }
            answer(exchange, entityKey.get());
        }
    }

    private void answer(HttpExchange exchange, String entityKey) throws IOException {
        boolean forwarded = exchange.getRequestHeaders().containsKey(FORWARDED_HEADER);
        EntityLookup.Owner owner =
                forwarded ? new EntityLookup.Owner.Local() : lookup.owner(entityKey);
        if (owner instanceof EntityLookup.Owner.Remote remote) {
            forward(exchange, remote.host());
            return;
        }
        if (owner instanceof EntityLookup.Owner.Unavailable) {
            send(exchange, 503, error("no instance serves this key now; retry shortly"));
            return;
        }
        try {
            Optional<?> row = lookup.local(entityKey);
            if (row.isEmpty()) {
                send(exchange, 404, error("no cached row for " + entityKey));
            } else {
                send(exchange, 200, MAPPER.writeValueAsBytes(row.get()));
            }
        } catch (InvalidStateStoreException e) {
            send(exchange, 503, error("entity cache not ready: " + e.getMessage()));
        }
    }

    private void forward(HttpExchange exchange, HostInfo host) throws IOException {
        URI target =
                URI.create(
                        "http://"
                                + host.host()
                                + ":"
                                + host.port()
                                + exchange.getRequestURI().getRawPath());
        HttpRequest request =
                HttpRequest.newBuilder(target)
                        .timeout(forwardTimeout)
                        .header(FORWARDED_HEADER, "1")
                        .GET()
                        .build();
        try {
            HttpResponse<byte[]> response =
                    client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            send(exchange, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(exchange, 502, error("interrupted while asking " + host));
        } catch (IOException e) {
            log.warn("Entity lookup forward to {} failed: {}", host, e.toString());
            send(exchange, 502, error("owning instance " + host + " did not answer"));
        }
    }

    /** {@code /entities/public.rental/42} to {@code public.rental/42}. */
    static Optional<String> entityKey(String rawPath) {
        if (!rawPath.startsWith(PATH)) {
            return Optional.empty();
        }
        String rest = rawPath.substring(PATH.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            return Optional.empty();
        }
        String entity = decode(rest.substring(0, slash));
        String key = decode(rest.substring(slash + 1));
        if (entity.indexOf('/') >= 0) {
            return Optional.empty();
        }
        return Optional.of(EntityKeys.prefix(entity) + key);
    }

    private static String decode(String part) {
        // The path is decoded by hand: '+' is a literal plus in a path, not a space.
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static byte[] error(String message) throws IOException {
        return MAPPER.writeValueAsBytes(Map.of("error", message));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
