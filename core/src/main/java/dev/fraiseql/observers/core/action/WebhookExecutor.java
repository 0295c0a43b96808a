package dev.fraiseql.observers.core.action;

import dev.fraiseql.observers.schemas.Job;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs the job as JSON to a URL, signed the Standard Webhooks way.
 *
 * <p>Options: {@code url} (required), {@code secret} ({@code whsec_...}; without it requests are
 * not signed), {@code headers} (extra headers), {@code timeout} (default 10 s), {@code
 * allow_link_local} (default false: URLs whose host is or resolves to a link-local address, such as
 * the cloud metadata service at 169.254.169.254, are refused before any connection), and the
 * classification overrides of {@link Classification}.
 *
 * <p>Every attempt of a job carries {@code webhook-id} = the job id, so a receiver can drop
 * repeats. Redirects are handled here, not by the HTTP client: 307 and 308 are followed to the same
 * host with the same method, body and signature, at most {@value #MAX_REDIRECTS} hops; 301, 302 and
 * 303 are permanent failures, because clients turn those into a GET without a body, which is not a
 * delivery.
 */
public final class WebhookExecutor implements ActionExecutor {
    /** The most redirects followed for one attempt. */
    public static final int MAX_REDIRECTS = 5;

    private static final Logger log = LoggerFactory.getLogger(WebhookExecutor.class);

    private final HttpClient client;
    private final Clock clock;
    private final Map<Map<String, Object>, Options> parsed = new ConcurrentHashMap<>();

    /** The parsed options of one webhook action. */
    record Options(
            URI url,
            WebhookSigner signer,
            Map<String, String> headers,
            Duration timeout,
            boolean allowLinkLocal,
            Classification classification) {}

    /** An executor with its own HTTP client. */
    public WebhookExecutor(Clock clock) {
        this(HttpActions.newClient(), clock);
    }

    /** An executor over a given client; the client must not follow redirects. */
    public WebhookExecutor(HttpClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public List<String> validate(Map<String, Object> options) {
        OptionReader reader = new OptionReader(type(), options);
        read(reader);
        return reader.problems();
    }

    @Override
    public Optional<String> targetHost(ActionSpec spec) {
        return Optional.ofNullable(options(spec)).map(o -> HttpActions.hostKey(o.url()));
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

        byte[] body = EventJson.text(EventJson.jobDocument(job)).getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest.Builder request =
                HttpRequest.newBuilder()
                        .timeout(options.timeout())
                        .header("Content-Type", "application/json")
                        .header("webhook-id", job.getJobId())
                        .header("webhook-timestamp", Long.toString(timestamp));
        if (options.signer() != null) {
            request.header(
                    "webhook-signature", options.signer().sign(job.getJobId(), timestamp, body));
        }
        options.headers().forEach(request::header);
        request.POST(HttpRequest.BodyPublishers.ofByteArray(body));

        return send(request, options.url(), options, 0)
                .exceptionally(options.classification()::ofException);
    }

    private CompletionStage<ActionOutcome> send(
            HttpRequest.Builder request, URI target, Options options, int hops) {
        if (options.allowLinkLocal()) {
            return connect(request, target, options, hops);
        }
        return AddressGuard.refusal(target)
                .thenCompose(
                        refusal ->
                                refusal.isPresent()
                                        ? done(
                                                ActionOutcome.permanent(
                                                        null, "refused-address", refusal.get()))
                                        : connect(request, target, options, hops));
    }

    private CompletionStage<ActionOutcome> connect(
            HttpRequest.Builder request, URI target, Options options, int hops) {
        HttpRequest built = request.copy().uri(target).build();
        return HttpActions.send(
                        client,
                        built,
                        BoundedBody.handler(ActionOutcome.MAX_EXCERPT),
                        options.timeout())
                .thenCompose(response -> answer(response, request, target, options, hops));
    }

    private CompletionStage<ActionOutcome> answer(
            HttpResponse<String> response,
            HttpRequest.Builder request,
            URI target,
            Options options,
            int hops) {
        int status = response.statusCode();
        if (status == 301 || status == 302 || status == 303) {
            return done(
                    ActionOutcome.permanent(
                            status,
                            "method-changing redirect",
                            status
                                    + " to "
                                    + response.headers().firstValue("Location").orElse("(none)")
                                    + ": a POST turned into a GET is not a delivery; point the"
                                    + " webhook url at the final address"));
        }
        if (status != 307 && status != 308) {
            return done(HttpActions.outcome(response, options.classification(), clock));
        }

        Optional<String> location = response.headers().firstValue("Location");
        if (location.isEmpty()) {
            return done(ActionOutcome.permanent(status, "redirect", "redirect without Location"));
        }
        URI next = target.resolve(location.get());
        if (!HttpActions.hostKey(next).equals(HttpActions.hostKey(target))) {
            return done(
                    ActionOutcome.permanent(
                            status,
                            "redirect to another host",
                            "refused to send the signed body to " + next.getHost()));
        }
        if (hops >= MAX_REDIRECTS) {
            return done(
                    ActionOutcome.permanent(
                            status, "too many redirects", "more than " + MAX_REDIRECTS + " hops"));
        }
        log.debug(
                "webhook {}: {} redirect to {}",
                HttpActions.withoutUserInfo(target.toString()),
                status,
                HttpActions.withoutUserInfo(next.toString()));
        return send(request, next, options, hops + 1);
    }

    private static CompletionStage<ActionOutcome> done(ActionOutcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }

    private Options options(ActionSpec spec) {
        try {
            return parsed.computeIfAbsent(spec.options(), this::parse);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Options parse(Map<String, Object> options) {
        OptionReader reader = new OptionReader(type(), options);
        Options result = read(reader);
        reader.throwIfInvalid();
        return result;
    }

    private static Options read(OptionReader reader) {
        URI url = HttpActions.url(reader, "url", "https://hooks.example.test/rentals");
        String secret = reader.secret("secret");
        WebhookSigner signer = null;
        if (secret != null) {
            try {
                signer = WebhookSigner.forSecret(secret);
            } catch (IllegalArgumentException e) {
                reader.problem("secret", e.getMessage());
            }
        }
        Map<String, String> headers = reader.stringMap("headers");
        HttpActions.checkHeaders(reader, headers);
        Duration timeout = reader.duration("timeout", Duration.ofSeconds(10));
        boolean allowLinkLocal = reader.bool("allow_link_local", false);
        if (url != null && !allowLinkLocal) {
            AddressGuard.literalRefusal(url).ifPresent(reason -> reader.problem("url", reason));
        }
        Classification classification = Classification.read(reader);
        reader.rejectUnknown();
        return new Options(url, signer, headers, timeout, allowLinkLocal, classification);
    }
}
