package dev.fraiseql.observers.streams.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The product's HTTP endpoint on the JDK's {@link HttpServer}: {@code GET /metrics} (Prometheus
 * text), {@code GET /health/live}, {@code GET /health/ready} and {@code GET /health} (JSON naming
 * each part, its state and why it is not ready), plus handlers that other parts mount by path
 * ({@code /entities}, {@code /observers}).
 *
 * <p>Request handling is bounded: a fixed number of threads, a queue of {@value #QUEUE_CAPACITY}
 * waiting requests, then the accepting thread serves the request itself, which slows new clients
 * down instead of growing memory. Bodies larger than {@value #MAX_BODY_BYTES} bytes are refused.
 * Every error is a JSON body; a stack trace goes to the log, never to the client.
 */
public final class HttpEndpoint implements AutoCloseable {
    /** Largest request body accepted. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    /** Requests that may wait for a thread before the accepting thread serves them itself. */
    public static final int QUEUE_CAPACITY = 64;

    static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);

    private final String host;
    private final int requestedPort;
    private final int threads;
    private final Telemetry telemetry;
    private final HealthRegistry health;
    private final Map<String, Handler> mounts = new ConcurrentHashMap<>();
    private HttpServer server;
    private ThreadPoolExecutor executor;

    /**
     * An endpoint, not yet listening.
     *
     * @param host the bind address ({@code 127.0.0.1} by default in the configuration)
     * @param port the port, 0 for a free one
     * @param threads the request threads
     * @param telemetry the source of {@code /metrics}
     * @param health the source of {@code /health}
     */
    public HttpEndpoint(
            String host, int port, int threads, Telemetry telemetry, HealthRegistry health) {
        this.host = Objects.requireNonNull(host, "host");
        this.requestedPort = port;
        this.threads = threads;
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.health = Objects.requireNonNull(health, "health");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
    }

    /**
     * Serves every request whose path is {@code path} or starts with {@code path + "/"}. Mounting
     * may happen before or after {@link #start()}.
     *
     * @param path the mount path, starting with '/' ({@code /entities})
     * @return a handle that unmounts the handler
     */
    public AutoCloseable mount(String path, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
            throw new IllegalArgumentException(
                    "a mount path starts with '/' and does not end with one, was '" + path + "'");
        }
        if (path.equals("/metrics") || path.equals("/health") || path.startsWith("/health/")) {
            throw new IllegalArgumentException(path + " is served by the endpoint itself");
        }
        if (mounts.putIfAbsent(path, handler) != null) {
            throw new IllegalArgumentException("a handler is already mounted at " + path);
        }
        return () -> mounts.remove(path, handler);
    }

    /**
     * Serves a path with a JDK {@link com.sun.net.httpserver.HttpHandler} that writes the exchange
     * itself. Prefer {@link #mount(String, Handler)}, which adds JSON errors and body limits; this
     * form is for handlers written against the JDK server directly. An exception thrown before the
     * handler sent its headers still becomes a JSON 500.
     */
    public AutoCloseable mountRaw(String path, com.sun.net.httpserver.HttpHandler handler) {
        return mount(path, raw(handler));
    }

    /**
     * A JDK handler as a {@link Handler}: when mounted, it is given the exchange itself (see {@link
     * #mountRaw}).
     */
    public static Handler raw(com.sun.net.httpserver.HttpHandler handler) {
        return new RawHandler(Objects.requireNonNull(handler, "handler"));
    }

    /** Binds the address and starts serving. */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("the HTTP endpoint is already started");
        }
        AtomicInteger threadNumber = new AtomicInteger();
        executor =
                new ThreadPoolExecutor(
                        threads,
                        threads,
                        0,
                        TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                        runnable -> {
                            Thread thread =
                                    new Thread(runnable, "http-" + threadNumber.incrementAndGet());
                            thread.setDaemon(true);
                            return thread;
                        },
                        new ThreadPoolExecutor.CallerRunsPolicy());
        server = HttpServer.create(new InetSocketAddress(host, requestedPort), 0);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
        log.info("[http] serving on {} ({} threads)", baseUrl(), threads);
    }

    /**
     * The address and port actually bound: the configured host resolved ({@code localhost} binds
     * {@code 127.0.0.1}), or the wildcard address when {@code 0.0.0.0} or {@code ::} was asked.
     */
    public synchronized InetSocketAddress boundAddress() {
        if (server == null) {
            throw new IllegalStateException("the HTTP endpoint is not started");
        }
        return server.getAddress();
    }

    /** The port listened on (the chosen one when 0 was requested). */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("the HTTP endpoint is not started");
        }
        return server.getAddress().getPort();
    }

    /**
     * The base URL on the bound address: {@code http://127.0.0.1:8080}. When the endpoint listens
     * on every address, the configured host is shown, as no single address is the bound one.
     */
    public String baseUrl() {
        InetSocketAddress bound = boundAddress();
        String shownHost =
                bound.getAddress().isAnyLocalAddress() ? host : bound.getAddress().getHostAddress();
        if (shownHost.contains(":") && !shownHost.startsWith("[")) {
            shownHost = "[" + shownHost + "]";
        }
        return "http://" + shownHost + ":" + bound.getPort();
    }

    /** Stops accepting, lets requests in progress finish for up to the timeout, then stops. */
    public synchronized void close(Duration timeout) {
        if (server == null) {
            return;
        }
        int seconds = (int) Math.max(0, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
        server.stop(seconds);
        executor.shutdownNow();
        server = null;
        log.info("[http] stopped");
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(1));
    }

    private void serve(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            Response response = respond(exchange, method, path);
            if (response == null) {
                return; // a raw handler wrote the exchange itself
            }
            if (exchange.getResponseCode() != -1) {
                log.error("[http] {} {}: handler failed after sending its headers", method, path);
                return;
            }
            write(exchange, method, response);
        } catch (IOException e) {
            log.debug("[http] {} {}: client went away: {}", method, path, e.toString());
        } catch (RuntimeException e) {
            log.error("[http] {} {}: response could not be written", method, path, e);
        }
    }

    private Response respond(HttpExchange exchange, String method, String path) {
        try {
            return route(exchange, method, path);
        } catch (HttpError e) {
            return Response.error(e.status(), e.getMessage());
        } catch (Exception e) {
            // The client sees a generic message; the detail is for the operator's log only.
            log.error("[http] {} {} failed", method, path, e);
            return Response.error(500, "internal error; the server log has the details");
        }
    }

    private Response route(HttpExchange exchange, String method, String path) throws Exception {
        switch (path) {
            case "/metrics" -> {
                requireRead(method);
                return Response.text(200, PROMETHEUS_CONTENT_TYPE, telemetry.scrape());
            }
            case "/health/live" -> {
                requireRead(method);
                HealthRegistry.Report report = health.report();
                return Response.json(report.live() ? 200 : 503, liveBody(report));
            }
            case "/health/ready", "/health" -> {
                requireRead(method);
                HealthRegistry.Report report = health.report();
                return Response.json(report.ready() ? 200 : 503, readyBody(report));
            }
            default -> {
                Handler handler = mountFor(path);
                if (handler == null) {
                    throw new HttpError(404, "nothing is served at " + path);
                }
                if (handler instanceof RawHandler raw) {
                    raw.delegate().handle(exchange);
                    return null;
                }
                Request request =
                        new Request(
                                method,
                                path,
                                Request.parseQuery(exchange.getRequestURI().getRawQuery()),
                                readBody(exchange));
                Response response = handler.handle(request);
                if (response == null) {
                    throw new IllegalStateException("the handler of " + path + " returned null");
                }
                return response;
            }
        }
    }

    private Handler mountFor(String path) {
        String candidate = path;
        while (!candidate.isEmpty()) {
            Handler handler = mounts.get(candidate);
            if (handler != null) {
                return handler;
            }
            int slash = candidate.lastIndexOf('/');
            candidate = slash <= 0 ? "" : candidate.substring(0, slash);
        }
        return null;
    }

    /** A JDK handler mounted as is; the router hands it the exchange. */
    private record RawHandler(com.sun.net.httpserver.HttpHandler delegate) implements Handler {
        @Override
        public Response handle(Request request) {
            throw new IllegalStateException("a raw handler is called with the exchange");
        }
    }

    private static void requireRead(String method) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new HttpError(405, "only GET and HEAD are served here, not " + method);
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new HttpError(
                        413, "request body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    private static Map<String, Object> liveBody(HealthRegistry.Report report) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.live() ? "live" : "failed");
        Map<String, Health> failed = new LinkedHashMap<>();
        report.parts()
                .forEach(
                        (name, health) -> {
                            if (health.status() == Health.Status.FAILED) {
                                failed.put(name, health);
                            }
                        });
        body.put("failed", failed);
        return body;
    }

    private static Map<String, Object> readyBody(HealthRegistry.Report report) {
        Map<String, Object> body = new LinkedHashMap<>();
        String status = report.ready() ? "ready" : report.live() ? "not_ready" : "failed";
        body.put("status", status);
        if (report.parts().isEmpty()) {
            body.put("reason", "no part has registered yet");
        }
        body.put("parts", report.parts());
        return body;
    }

    private static void write(HttpExchange exchange, String method, Response response)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (response.status() == 405) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        }
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        if (method.equals("HEAD")) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
