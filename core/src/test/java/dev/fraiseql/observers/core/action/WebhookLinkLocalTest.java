package dev.fraiseql.observers.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fraiseql.observers.core.retry.RetryPolicy;
import dev.fraiseql.observers.testing.SampleJobs;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Link-local and metadata addresses are refused on the parsed address, before the request reaches
 * the HTTP client. The client here only records what it is given and never opens a connection, so
 * no packet is sent to those addresses, not even by this test.
 */
class WebhookLinkLocalTest {
    private final RecordingClient client = new RecordingClient();
    private final WebhookExecutor executor = new WebhookExecutor(client, Clock.systemUTC());

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://169.254.169.254/latest/meta-data/iam",
                "http://169.254.0.1:8080/hook",
                "https://[fe80::1]/hook",
                "http://[fe80::a00:27ff:fe4e:66a1]:9000/hook",
                "http://[::ffff:169.254.169.254]/latest"
            })
    void a_link_local_url_is_refused_before_any_connection(String url) throws Exception {
        ActionOutcome outcome = run(Map.of("url", url));

        assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.PERMANENT);
        assertThat(outcome.excerpt()).contains("link-local").contains("allow_link_local: true");
        assertThat(client.requests).isEmpty();
    }

    @Test
    void validation_names_the_url_the_address_and_the_option_that_allows_it() {
        List<String> problems = executor.validate(Map.of("url", "http://169.254.169.254/x"));

        assertThat(problems)
                .containsExactly(
                        "webhook.url: 169.254.169.254 is the link-local address 169.254.169.254"
                                + " (cloud metadata range); set allow_link_local: true on the"
                                + " action to call it");
    }

    @Test
    void allow_link_local_hands_the_request_to_the_client() throws Exception {
        ActionOutcome outcome =
                run(Map.of("url", "http://169.254.10.10/hook", "allow_link_local", "true"));

        assertThat(client.requests)
                .extracting(request -> request.uri().toString())
                .containsExactly("http://169.254.10.10/hook");
        assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.RETRIABLE);
        assertThat(
                        executor.validate(
                                Map.of(
                                        "url",
                                        "http://169.254.10.10/hook",
                                        "allow_link_local",
                                        "true")))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"http://169.255.0.1/hook", "http://10.0.0.5/hook", "http://[fe00::1]/x"})
    void addresses_next_to_the_link_local_ranges_are_not_refused(String url) throws Exception {
        run(Map.of("url", url));

        assertThat(client.requests).extracting(r -> r.uri().toString()).containsExactly(url);
    }

    private ActionOutcome run(Map<String, Object> options) throws Exception {
        return executor.execute(
                        SampleJobs.rentalReturned("job-7", 7),
                        new ActionSpec("webhook", options, RetryPolicy.DEFAULT))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    /** Records requests and answers each with a connection error, without any network I/O. */
    private static final class RecordingClient extends HttpClient {
        final List<HttpRequest> requests = new CopyOnWriteArrayList<>();

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(
                HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            requests.add(request);
            return CompletableFuture.failedFuture(
                    new java.net.ConnectException("not connected: recording client"));
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(
                HttpRequest request,
                HttpResponse.BodyHandler<T> handler,
                HttpResponse.PushPromiseHandler<T> push) {
            return sendAsync(request, handler);
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException {
            requests.add(request);
            throw new java.net.ConnectException("not connected: recording client");
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return Optional.empty();
        }

        @Override
        public Redirect followRedirects() {
            return Redirect.NEVER;
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return Optional.empty();
        }

        @Override
        public SSLContext sslContext() {
            return null;
        }

        @Override
        public SSLParameters sslParameters() {
            return new SSLParameters();
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return Optional.empty();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }

        @Override
        public Optional<Executor> executor() {
            return Optional.empty();
        }
    }
}
