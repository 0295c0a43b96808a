package dev.fraiseql.observers.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP receiver on 127.0.0.1 for action tests: answers from a script (by request number, or
 * by a function of the request) and records every request with its arrival time, headers and body.
 *
 * <pre>{@code
 * try (WebhookReceiver receiver = WebhookReceiver.start()) {
 *     receiver.respond(Response.status(503), Response.status(503), Response.status(200));
 *     ... send to receiver.url("/hook") ...
 *     assertThat(receiver.requests()).hasSize(3);
 * }
 * }</pre>
 */
public final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads;
    private final List<Request> requests = new ArrayList<>();
    private volatile Function<Request, Response> script = request -> Response.status(200);

    /** One received request. Header names are lower-case. */
    public record Request(
            int number,
            Instant arrivedAt,
            long arrivalNanos,
            String method,
            String path,
            Map<String, List<String>> headers,
            byte[] body) {

        /** The first value of a header, if present. */
        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty()
                    ? Optional.empty()
                    : Optional.of(values.get(0));
        }

        /** The body as UTF-8 text. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The time from an earlier request's arrival to this one's (monotonic clock). */
        public Duration since(Request earlier) {
            return Duration.ofNanos(arrivalNanos - earlier.arrivalNanos);
        }
    }

    /** One scripted answer: a status, headers, a body, and an optional delay before answering. */
    public record Response(int status, Map<String, String> headers, String body, Duration delay) {
        public Response {
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(delay, "delay");
        }

        /** An answer with this status and an empty body. */
        public static Response status(int status) {
            return new Response(status, Map.of(), "", Duration.ZERO);
        }

        /** This answer with one more header. */
        public Response header(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Response(status, more, body, delay);
        }

        /** This answer with a body. */
        public Response body(String text) {
            return new Response(status, headers, text, delay);
        }

        /** This answer, sent only after a delay (a slow receiver). */
        public Response after(Duration wait) {
            return new Response(status, headers, body, wait);
        }
    }

    private WebhookReceiver(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Starts a receiver on a free port of 127.0.0.1, answering 200 until scripted. */
    public static WebhookReceiver start() {
        try {
            HttpServer server =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService threads = Executors.newCachedThreadPool();
            WebhookReceiver receiver = new WebhookReceiver(server, threads);
            server.createContext("/", receiver::handle);
            server.setExecutor(threads);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a receiver on 127.0.0.1", e);
        }
    }

    /**
     * Answers request n (from 1) with the n-th response; requests after the last one get the last
     * one again.
     */
    public WebhookReceiver respond(Response... responses) {
        List<Response> list = List.of(responses);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("at least one response");
        }
        this.script = request -> list.get(Math.min(request.number(), list.size()) - 1);
        return this;
    }

    /** Answers each request with what the function returns. */
    public WebhookReceiver respondWith(Function<Request, Response> function) {
        this.script = Objects.requireNonNull(function, "function");
        return this;
    }

    /** The URL of a path on this receiver. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The port this receiver listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Every request received so far, in arrival order. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        long nanos = System.nanoTime();
        Instant now = Instant.now();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders()
                .forEach(
                        (name, values) ->
                                headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        Request request;
        synchronized (requests) {
            request =
                    new Request(
                            requests.size() + 1,
                            now,
                            nanos,
                            exchange.getRequestMethod(),
                            exchange.getRequestURI().toString(),
                            Map.copyOf(headers),
                            body);
            requests.add(request);
        }

        Response response = script.apply(request);
        if (!response.delay().isZero()) {
            try {
                // Simulates a slow receiver; the sender's timeout or concurrency is under test.
                Thread.sleep(response.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] answer = response.body().getBytes(StandardCharsets.UTF_8);
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(response.status(), answer.length == 0 ? -1 : answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
