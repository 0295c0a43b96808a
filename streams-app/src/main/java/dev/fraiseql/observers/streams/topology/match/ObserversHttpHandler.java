package dev.fraiseql.observers.streams.topology.match;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.fraiseql.observers.core.action.ActionSpec;
import dev.fraiseql.observers.core.observer.Observer;
import dev.fraiseql.observers.core.observer.ObserverSet;
import dev.fraiseql.observers.core.observer.ObserverStats;
import dev.fraiseql.observers.schemas.Operation;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code GET /observers}: the observers in force, with their counts since load. A JSON list of
 * objects with {@code name}, {@code entity}, {@code on}, {@code when}, {@code enabled}, {@code
 * file}, {@code line}, {@code actions} (the action types), {@code evaluated}, {@code matched},
 * {@code unavailable}, {@code errors} and {@code last_error}. Action options are not shown: they
 * hold secrets.
 */
public final class ObserversHttpHandler implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<ObserverSet> observers;

    /** A handler over the observer set in force. */
    public ObserversHttpHandler(Supplier<ObserverSet> observers) {
        this.observers = Objects.requireNonNull(observers, "observers");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = render(observers.get()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The JSON document of a set. */
    static String render(ObserverSet set) throws IOException {
        ArrayNode list = JSON.createArrayNode();
        for (Observer observer : set.observers()) {
            ObserverStats stats = set.stats(observer.name());
            ObjectNode node = list.addObject();
            node.put("name", observer.name());
            node.put("entity", observer.entity());
            ArrayNode on = node.putArray("on");
            for (Operation op : Operation.values()) {
                if (observer.operations().contains(op)) {
                    on.add(op.name().toLowerCase(Locale.ROOT));
                }
            }
            node.put("when", observer.conditionText());
            node.put("enabled", observer.enabled());
            node.put("file", observer.file());
            node.put("line", observer.line());
            ArrayNode actions = node.putArray("actions");
            for (ActionSpec action : observer.actions()) {
                actions.add(action.type());
            }
            node.put("evaluated", stats.evaluated());
            node.put("matched", stats.matched());
            node.put("unavailable", stats.unavailable());
            node.put("errors", stats.errors());
            node.put("last_error", stats.lastError());
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(list);
    }
}
