package dev.fraiseql.observers.core.action;

import dev.fraiseql.observers.schemas.Job;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Posts a message to a Slack incoming webhook: {@code {"text": ...}} from a {@link Template}.
 *
 * <p>Options: {@code url} (the incoming-webhook URL, required; it is a secret and never logged),
 * {@code text} (the template, required), {@code timeout} (default 10 s), and the classification
 * overrides of {@link Classification}. The rendered text is put into the JSON body by a JSON
 * writer, so quotes or newlines in row values cannot break the message.
 */
public final class SlackExecutor implements ActionExecutor {
    private final HttpClient client;
    private final Clock clock;
    private final Map<Map<String, Object>, Options> parsed = new ConcurrentHashMap<>();

    record Options(URI url, Template text, Duration timeout, Classification classification) {}

    /** An executor with its own HTTP client. */
    public SlackExecutor(Clock clock) {
        this(HttpActions.newClient(), clock);
    }

    /** An executor over a given client. */
    public SlackExecutor(HttpClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    public String type() {
        return "slack";
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
                    HttpActions.hostKey(parsed.computeIfAbsent(spec.options(), this::parse).url()));
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

        var body =
                EventJson.text(
                        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                                .objectNode()
                                .put("text", options.text().render(job)));
        HttpRequest request =
                HttpRequest.newBuilder(options.url())
                        .timeout(options.timeout())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        return HttpActions.send(
                        client,
                        request,
                        BoundedBody.handler(ActionOutcome.MAX_EXCERPT),
                        options.timeout())
                .thenApply(
                        response -> HttpActions.outcome(response, options.classification(), clock))
                .exceptionally(options.classification()::ofException);
    }

    private Options parse(Map<String, Object> options) {
        OptionReader reader = new OptionReader(type(), options);
        Options result = read(reader);
        reader.throwIfInvalid();
        return result;
    }

    private static Options read(OptionReader reader) {
        URI url =
                HttpActions.url(
                        reader, "url", "https://hooks.slack.com/services/T000/B000/XXXX", true);
        Template text = null;
        String source = reader.requiredString("text", "\"Rental {{key.rental_id}} returned\"");
        try {
            text = Template.parse(source, Template.Escape.NONE);
        } catch (IllegalArgumentException e) {
            reader.problem("text", e.getMessage());
        }
        Duration timeout = reader.duration("timeout", Duration.ofSeconds(10));
        Classification classification = Classification.read(reader);
        reader.rejectUnknown();
        return new Options(url, text, timeout, classification);
    }
}
