package dev.fraiseql.observers.ops.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's webhook receiver on loopback: {@code /hooks/<name>} answers 200 and remembers each
 * delivery by its {@code webhook-id} header (the job id, the same on every attempt), so a repeated
 * delivery is counted once as delivered and once as a repeat; {@code /failing/<name>} always
 * answers 500, so the retry and dead-letter paths show.
 */
final class DemoReceiver implements AutoCloseable {
    private static final String HOOKS = "/hooks/";
    private static final String FAILING = "/failing/";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Set<String> deliveredIds = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> deliveredByPath = new ConcurrentHashMap<>();
    private final AtomicLong repeats = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();

    private DemoReceiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a receiver on a free loopback port. */
    static DemoReceiver start() throws IOException {
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor =
                Executors.newFixedThreadPool(
                        4,
                        runnable -> {
                            Thread thread = new Thread(runnable, "observers-demo-receiver");
                            thread.setDaemon(true);
                            return thread;
                        });
        DemoReceiver receiver = new DemoReceiver(server, executor);
        server.createContext(HOOKS, receiver::accept);
        server.createContext(FAILING, receiver::fail);
        server.setExecutor(executor);
        server.start();
        return receiver;
    }

    /** The base URL: {@code http://127.0.0.1:<port>}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A URL that answers 200. */
    String okUrl(String name) {
        return baseUrl() + HOOKS + name;
    }

    /** A URL that always answers 500. */
    String failingUrl(String name) {
        return baseUrl() + FAILING + name;
    }

    /** Distinct jobs delivered (by {@code webhook-id}). */
    long delivered() {
        return deliveredIds.size();
    }

    /** Deliveries of a job id that had been delivered before (at-least-once repeats). */
    long repeats() {
        return repeats.get();
    }

    /** Requests answered 500 by the failing receiver. */
    long failedAttempts() {
        return failedAttempts.get();
    }

    /** Distinct deliveries by path, sorted. */
    Map<String, Long> deliveredByPath() {
        Map<String, Long> counts = new TreeMap<>();
        deliveredByPath.forEach((path, count) -> counts.put(path, count.get()));
        return counts;
    }

    private void accept(HttpExchange exchange) throws IOException {
        try (exchange) {
            drain(exchange.getRequestBody());
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String path = exchange.getRequestURI().getPath();
            // Without a webhook-id every request counts: the action would not be a signed webhook.
            String key = id == null ? path + "#" + System.nanoTime() : id;
            if (deliveredIds.add(key)) {
                deliveredByPath.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
            } else {
                repeats.incrementAndGet();
            }
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private void fail(HttpExchange exchange) throws IOException {
        try (exchange) {
            drain(exchange.getRequestBody());
            failedAttempts.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
        }
    }

    private static void drain(InputStream body) throws IOException {
        body.transferTo(java.io.OutputStream.nullOutputStream());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
