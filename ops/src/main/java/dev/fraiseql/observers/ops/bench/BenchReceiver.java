package dev.fraiseql.observers.ops.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmarks' webhook receiver on loopback, answering at once. It notes, by {@code webhook-id}
 * (the job id, the same on every attempt), when each job arrived on the receiver's clock and the
 * commit time its event carries:
 *
 * <ul>
 *   <li>{@code /deliver}: answers 200;
 *   <li>{@code /fail-once}: answers 500 to the first attempt of a job and 200 to the next.
 * </ul>
 */
final class BenchReceiver implements AutoCloseable {
    private static final String DELIVER = "/deliver";
    private static final String FAIL_ONCE = "/fail-once";
    private static final String COMMIT_TIME = "\"commit_time\":\"";

    /**
     * One job as the receiver saw it, times in microseconds since the epoch.
     *
     * @param commitMicros the commit time of the job's event in its source database
     * @param deliveredMicros when the attempt answered 200 arrived
     */
    record Arrival(long commitMicros, long deliveredMicros) {}

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Arrival> delivered = new ConcurrentHashMap<>();
    private final Map<String, Arrival> retried = new ConcurrentHashMap<>();
    private final Map<String, Long> failedOnce = new ConcurrentHashMap<>();
    private final AtomicLong repeats = new AtomicLong();

    private BenchReceiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a receiver on a free loopback port. */
    static BenchReceiver start() throws IOException {
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        ExecutorService executor =
                Executors.newFixedThreadPool(
                        4,
                        runnable -> {
                            Thread thread = new Thread(runnable, "bench-receiver");
                            thread.setDaemon(true);
                            return thread;
                        });
        BenchReceiver receiver = new BenchReceiver(server, executor);
        server.createContext(DELIVER, receiver::deliver);
        server.createContext(FAIL_ONCE, receiver::failOnce);
        server.setExecutor(executor);
        server.start();
        return receiver;
    }

    /** The URL that answers 200. */
    String deliverUrl() {
        return base() + DELIVER;
    }

    /** The URL that fails the first attempt of each job. */
    String failOnceUrl() {
        return base() + FAIL_ONCE;
    }

    /** Jobs delivered to {@code /deliver}, by job id; a job's first delivery only. */
    Map<String, Arrival> delivered() {
        return delivered;
    }

    /** Jobs delivered to {@code /fail-once} on their second attempt, by job id. */
    Map<String, Arrival> retried() {
        return retried;
    }

    /** Deliveries of a job that had been delivered before (at-least-once repeats). */
    long repeats() {
        return repeats.get();
    }

    /** Forgets every job seen, so that the next phase starts from nothing. */
    void reset() {
        delivered.clear();
        retried.clear();
        failedOnce.clear();
        repeats.set(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void deliver(HttpExchange exchange) throws IOException {
        long nowMicros = nowMicros();
        try (exchange) {
            String body =
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            note(delivered, exchange, body, nowMicros);
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private void failOnce(HttpExchange exchange) throws IOException {
        long nowMicros = nowMicros();
        try (exchange) {
            String body =
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String id = jobId(exchange);
            if (failedOnce.putIfAbsent(id, nowMicros) == null) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            note(retried, exchange, body, nowMicros);
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private void note(
            Map<String, Arrival> jobs, HttpExchange exchange, String body, long nowMicros) {
        Arrival arrival = new Arrival(commitMicros(body), nowMicros);
        if (jobs.putIfAbsent(jobId(exchange), arrival) != null) {
            repeats.incrementAndGet();
        }
    }

    private static String jobId(HttpExchange exchange) {
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        if (id == null) {
            throw new IllegalStateException("a delivery without a webhook-id header");
        }
        return id;
    }

    /** The event's {@code commit_time} (ISO-8601 text) in microseconds; -1 when absent. */
    private static long commitMicros(String body) {
        int start = body.indexOf(COMMIT_TIME);
        if (start < 0) {
            return -1;
        }
        start += COMMIT_TIME.length();
        int end = body.indexOf('"', start);
        try {
            Instant commit = Instant.parse(body.substring(start, end));
            return ChronoUnit.MICROS.between(Instant.EPOCH, commit);
        } catch (DateTimeParseException | IndexOutOfBoundsException e) {
            return -1;
        }
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
