package dev.fraiseql.observers.core.action;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** What the HTTP actions share: the client, URL checks and answer reading. */
final class HttpActions {
    /** Headers the JDK client sets itself and refuses from callers. */
    static final Set<String> RESTRICTED_HEADERS =
            Set.of("connection", "content-length", "expect", "host", "upgrade");

    private HttpActions() {}

    /** A client that never follows redirects by itself: the webhook action decides. */
    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * Sends a request and reads its answer within one deadline. The client's own request timeout
     * ends when the status line arrives, so a receiver that sends headers and then stalls inside
     * the body would otherwise hold the job forever; here the whole exchange, body included, must
     * finish within {@code timeout}, or the exchange is cancelled and the stage fails with an
     * {@link HttpTimeoutException}.
     */
    static CompletableFuture<HttpResponse<String>> send(
            HttpClient client,
            HttpRequest request,
            HttpResponse.BodyHandler<String> body,
            Duration timeout) {
        CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(request, body);
        CompletableFuture<HttpResponse<String>> result = new CompletableFuture<>();
        exchange.whenComplete(
                (response, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        result.complete(response);
                    }
                });
        ScheduledFuture<?> deadline =
                ActionThreads.TIMEOUTS.schedule(
                        () -> {
                            HttpTimeoutException late =
                                    new HttpTimeoutException(
                                            "request timed out: no complete answer within "
                                                    + timeout.toMillis()
                                                    + " ms");
                            if (result.completeExceptionally(late)) {
                                exchange.cancel(true);
                            }
                        },
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
        // An answer in time drops its deadline, so none is kept for the whole timeout.
        result.whenComplete((response, error) -> deadline.cancel(false));
        return result;
    }

    /** Reads and checks an http(s) URL option whose text may be shown in a problem. */
    static URI url(OptionReader reader, String name, String example) {
        return url(reader, name, example, false);
    }

    /**
     * Reads and checks an http(s) URL option. A {@code secret} URL (a Slack incoming webhook, whose
     * path is the credential) is never shown in a problem; any other is shown without the user-info
     * part ({@code user:password@}).
     */
    static URI url(OptionReader reader, String name, String example, boolean secret) {
        String text = reader.requiredString(name, example);
        if (text.isEmpty()) {
            return null;
        }
        String shown = secret ? "[hidden]" : "'" + withoutUserInfo(text) + "'";
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                reader.problem(
                        name,
                        shown
                                + " is not an http or https URL with a host; write it like "
                                + example);
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            reader.problem(
                    name,
                    shown
                            + " is not a URL ("
                            + e.getReason()
                            + " at index "
                            + e.getIndex()
                            + "); write it like "
                            + example);
            return null;
        }
    }

    /** A URL's text with any {@code user:password@} part masked, for logs and problems. */
    static String withoutUserInfo(String url) {
        return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#@]*@", "$1[hidden]@");
    }

    /** Checks extra headers against the ones the client owns. */
    static void checkHeaders(OptionReader reader, java.util.Map<String, String> headers) {
        for (String name : headers.keySet()) {
            if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                reader.problem("headers", "'" + name + "' is set by the HTTP client; remove it");
            }
        }
    }

    /** {@code host:port} of a URL, the key of per-host limits and circuit breakers. */
    static String hostKey(URI uri) {
        int port = uri.getPort();
        if (port < 0) {
            port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }
        return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** Classifies an answer, honouring its {@code Retry-After}. */
    static ActionOutcome outcome(
            HttpResponse<String> response, Classification classification, Clock clock) {
        var retryAfter =
                response.headers()
                        .firstValue("Retry-After")
                        .flatMap(
                                value ->
                                        dev.fraiseql.observers.core.retry.RetryAfter.parse(
                                                value, clock.instant()))
                        .orElse(null);
        return classification.ofStatus(response.statusCode(), response.body(), retryAfter);
    }
}
