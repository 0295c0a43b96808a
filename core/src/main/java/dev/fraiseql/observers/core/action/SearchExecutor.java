package dev.fraiseql.observers.core.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.Operation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Indexes or deletes the event's row in Elasticsearch or OpenSearch through the bulk API ({@code
 * POST <url>/_bulk}, NDJSON), which both products speak the same way.
 *
 * <p>Options: {@code url} (the cluster's base URL, required), {@code index} (required), {@code
 * operation} ({@code auto}, the default: delete on a DELETE event and index otherwise; or {@code
 * index}, {@code delete}), {@code id} (a {@link Template}; by default the key values joined by
 * {@code :}), {@code username} and {@code password} (basic auth) or {@code headers} (for an API
 * key), {@code timeout} (default 10 s), and the classification overrides of {@link Classification}.
 *
 * <p>The document indexed is the row after the change. A bulk answer of 200 can still carry a
 * failed item: the item's own status is classified (429 and 5xx retriable, the rest permanent); a
 * delete of a document that is already gone (404) is a success.
 */
public final class SearchExecutor implements ActionExecutor {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    /** Bulk answers are longer than an excerpt; enough to read the first item's result. */
    private static final int ANSWER_LIMIT_BYTES = 64 * 1024;

    private final HttpClient client;
    private final Clock clock;
    private final Map<Map<String, Object>, Options> parsed = new ConcurrentHashMap<>();

    record Options(
            URI bulkUrl,
            String index,
            String operation,
            Template id,
            String authorization,
            Map<String, String> headers,
            Duration timeout,
            Classification classification) {}

    /** An executor with its own HTTP client. */
    public SearchExecutor(Clock clock) {
        this(HttpActions.newClient(), clock);
    }

    /** An executor over a given client. */
    public SearchExecutor(HttpClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    public String type() {
        return "search";
    }

    @Override
    public List<String> validate(Map<String, Object> options) {
        OptionReader reader = new OptionReader(type(), options);
        read(reader);
        return reader.problems();
    }

    @Override
    public Optional<String> targetHost(ActionSpec spec) {
        try {
            return Optional.of(
                    HttpActions.hostKey(
                            parsed.computeIfAbsent(spec.options(), this::parse).bulkUrl()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public CompletionStage<ActionOutcome> execute(Job job, ActionSpec spec) {
        Options options;
        try {
            options = parsed.computeIfAbsent(spec.options(), this::parse);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(
                    ActionOutcome.permanent(null, "invalid-options", e.getMessage()));
        }

        boolean delete =
                options.operation().equals("delete")
                        || options.operation().equals("auto")
                                && job.getEvent().getOp() == Operation.DELETE;
        ObjectNode document = EventJson.jobDocument(job);
        String id = documentId(options, document);
        if (id.isEmpty()) {
            return CompletableFuture.completedFuture(
                    ActionOutcome.permanent(null, "invalid-payload", "the document id is empty"));
        }
        JsonNode row = document.get("event").get("after");
        if (!delete && (row == null || row.isNull())) {
            return CompletableFuture.completedFuture(
                    ActionOutcome.permanent(
                            null, "invalid-payload", "no row image after the change to index"));
        }
        String operation = delete ? "delete" : "index";
        String body = bulkBody(operation, options.index(), id, row);

        HttpRequest.Builder request =
                HttpRequest.newBuilder(options.bulkUrl())
                        .timeout(options.timeout())
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (options.authorization() != null) {
            request.header("Authorization", options.authorization());
        }
        options.headers().forEach(request::header);
        return HttpActions.send(
                        client,
                        request.build(),
                        BoundedBody.handler(ANSWER_LIMIT_BYTES),
                        options.timeout())
                .thenApply(response -> answer(response, operation, options))
                .exceptionally(options.classification()::ofException);
    }

    /** The NDJSON of one bulk action: the action line, then the document line for an index. */
    static String bulkBody(String operation, String index, String id, JsonNode row) {
        ObjectNode meta = NODES.objectNode();
        meta.putObject(operation).put("_index", index).put("_id", id);
        StringBuilder body = new StringBuilder(EventJson.text(meta)).append('\n');
        if (operation.equals("index")) {
            body.append(EventJson.text(row)).append('\n');
        }
        return body.toString();
    }

    private ActionOutcome answer(HttpResponse<String> response, String operation, Options options) {
        ActionOutcome http = HttpActions.outcome(response, options.classification(), clock);
        if (!http.isSuccess()) {
            return http;
        }
        JsonNode item;
        try {
            JsonNode answer = MAPPER.readTree(response.body());
            if (!answer.path("errors").asBoolean(false)) {
                return http;
            }
            item = answer.path("items").path(0).path(operation);
        } catch (IOException e) {
            // A 2xx whose body we cannot read (cut at the limit): the server took the request.
            return http;
        }
        int status = item.path("status").asInt(500);
        if (operation.equals("delete") && status == 404) {
            return ActionOutcome.success(status);
        }
        JsonNode error = item.path("error");
        String reason = error.path("type").asText("") + ": " + error.path("reason").asText("");
        ActionOutcome itemOutcome = options.classification().ofStatus(status, reason, null);
        return new ActionOutcome(
                itemOutcome.kind(), status, "bulk_item_" + status, itemOutcome.excerpt(), null);
    }

    private static String documentId(Options options, ObjectNode document) {
        if (options.id() != null) {
            return options.id().render(document);
        }
        JsonNode key = document.get("event").get("key");
        StringBuilder id = new StringBuilder();
        key.fields()
                .forEachRemaining(
                        field -> {
                            if (id.length() > 0) {
                                id.append(':');
                            }
                            id.append(
                                    field.getValue().isValueNode()
                                            ? field.getValue().asText()
                                            : EventJson.text(field.getValue()));
                        });
        return id.toString();
    }

    private Options parse(Map<String, Object> options) {
        OptionReader reader = new OptionReader(type(), options);
        Options result = read(reader);
        reader.throwIfInvalid();
        return result;
    }

    private static Options read(OptionReader reader) {
        URI base = HttpActions.url(reader, "url", "http://search.internal:9200");
        URI bulk =
                base == null ? null : URI.create(base.toString().replaceAll("/+$", "") + "/_bulk");
        String index = reader.requiredString("index", "rentals");
        String operation = reader.choice("operation", "auto", Set.of("auto", "index", "delete"));
        Template id = null;
        String idSource = reader.optionalString("id", null);
        if (idSource != null) {
            try {
                id = Template.parse(idSource, Template.Escape.NONE);
            } catch (IllegalArgumentException e) {
                reader.problem("id", e.getMessage());
            }
        }
        String username = reader.optionalString("username", null);
        String password = reader.secret("password");
        String authorization = null;
        if (username != null) {
            if (password == null) {
                reader.problem("password", "username is set but password is missing");
            } else {
                authorization =
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (username + ":" + password)
                                                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        Map<String, String> headers = reader.stringMap("headers");
        HttpActions.checkHeaders(reader, headers);
        Duration timeout = reader.duration("timeout", Duration.ofSeconds(10));
        Classification classification = Classification.read(reader);
        reader.rejectUnknown();
        return new Options(
                bulk, index, operation, id, authorization, headers, timeout, classification);
    }
}
