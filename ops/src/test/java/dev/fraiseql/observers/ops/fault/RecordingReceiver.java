package dev.fraiseql.observers.ops.fault;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A webhook receiver on a fixed port of 127.0.0.1 that records every delivery with its {@code
 * webhook-id} and can be taken down and brought back on the same port: while it is down, senders
 * get "connection refused", as from a receiver whose host is restarting.
 */
final class RecordingReceiver implements AutoCloseable {
    /** One delivery: the {@code webhook-id} header, the path and the body text. */
    record Delivery(String webhookId, String path, String body) {
        Delivery {
            Objects.requireNonNull(webhookId, "webhookId");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(body, "body");
        }
    }

    private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final int port;
    private HttpServer server;

    private RecordingReceiver(HttpServer server) {
        this.server = server;
        this.port = server.getAddress().getPort();
    }

    /** Starts a receiver on a free port of 127.0.0.1. */
    static RecordingReceiver start() {
        RecordingReceiver receiver = new RecordingReceiver(bind(0));
        receiver.serve();
        return receiver;
    }

    /** The URL of a path on this receiver. */
    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Every delivery so far, in arrival order. */
    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The number of deliveries so far. */
    int count() {
        return deliveries.size();
    }

    /** Stops listening: connections are refused until {@link #up()}. */
    synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Listens again on the same port. */
    synchronized void up() {
        if (server == null) {
            server = bind(port);
            serve();
        }
    }

    private void serve() {
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    private static HttpServer bind(int port) {
        try {
            return HttpServer.create(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on 127.0.0.1:" + port, e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        deliveries.add(
                new Delivery(
                        id == null ? "" : id,
                        exchange.getRequestURI().getPath(),
                        new String(body, StandardCharsets.UTF_8)));
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    @Override
    public synchronized void close() {
        down();
        threads.shutdownNow();
    }
}
