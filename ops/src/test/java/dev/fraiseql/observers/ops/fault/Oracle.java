package dev.fraiseql.observers.ops.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fraiseql.observers.testing.PostgresHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the observers of a fault run must fire, computed in SQL from the changes the triggers
 * recorded, and how a delivery is matched to it.
 *
 * <p>A firing is named {@code <observer>:<row id>:<rev>}, or {@code <observer>:<row id>:deleted}
 * for a delete. Because every update raises {@code rev} and ids are never reused, each name stands
 * for exactly one change, and so for exactly one job.
 */
final class Oracle {
    /** The observer file of the run: receiver base URL, retry policy and secret as arguments. */
    static final String OBSERVERS =
            String.join(
                    "\n",
                    "observers:",
                    "  - name: order-created",
                    "    entity: public.orders",
                    "    on: [create]",
                    "    actions: [{webhook: {url: '%1$s/order-created', secret: %3$s},"
                            + " retry: %2$s}]",
                    "  - name: order-shipped",
                    "    entity: public.orders",
                    "    on: [update]",
                    "    when: changed_to('status', 'shipped')",
                    "    actions: [{webhook: {url: '%1$s/order-shipped', secret: %3$s},"
                            + " retry: %2$s}]",
                    "  - name: big-item",
                    "    entity: public.items",
                    "    on: [create, update]",
                    "    when: after.qty >= 50",
                    "    actions: [{webhook: {url: '%1$s/big-item', secret: %3$s},"
                            + " retry: %2$s}]",
                    "  - name: customer-gold",
                    "    entity: public.customers",
                    "    on: [update]",
                    "    when: changed_to('tier', 'gold')",
                    "    actions: [{webhook: {url: '%1$s/customer-gold', secret: %3$s},"
                            + " retry: %2$s}]",
                    "  - name: customer-removed",
                    "    entity: public.customers",
                    "    on: [delete]",
                    "    actions: [{webhook: {url: '%1$s/customer-removed',"
                            + " secret: %3$s}, retry: %2$s}]",
                    "");

    /** The same firings as {@link #OBSERVERS}, read from {@code change_oracle}. */
    private static final String EXPECTED =
            String.join(
                    " UNION ALL ",
                    "SELECT 'order-created:' || (new_row->>'id') || ':' || (new_row->>'rev')"
                            + " FROM public.change_oracle WHERE tbl = 'orders' AND op = 'INSERT'",
                    "SELECT 'order-shipped:' || (new_row->>'id') || ':' || (new_row->>'rev')"
                            + " FROM public.change_oracle WHERE tbl = 'orders' AND op = 'UPDATE'"
                            + " AND new_row->>'status' = 'shipped'"
                            + " AND (old_row->>'status') IS DISTINCT FROM 'shipped'",
                    "SELECT 'big-item:' || (new_row->>'id') || ':' || (new_row->>'rev')"
                            + " FROM public.change_oracle WHERE tbl = 'items'"
                            + " AND op IN ('INSERT', 'UPDATE') AND (new_row->>'qty')::int >= 50",
                    "SELECT 'customer-gold:' || (new_row->>'id') || ':' || (new_row->>'rev')"
                            + " FROM public.change_oracle WHERE tbl = 'customers' AND op = 'UPDATE'"
                            + " AND new_row->>'tier' = 'gold'"
                            + " AND (old_row->>'tier') IS DISTINCT FROM 'gold'",
                    "SELECT 'customer-removed:' || (old_row->>'id') || ':deleted' FROM"
                            + " public.change_oracle WHERE tbl = 'customers' AND op = 'DELETE'");

    private static final ObjectMapper JSON = new ObjectMapper();

    private Oracle() {}

    /** The firings the recorded changes call for. */
    static Set<String> expectedFirings(PostgresHarness postgres, String database)
            throws SQLException {
        Set<String> firings = new HashSet<>();
        try (Connection connection = postgres.connect(database);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(EXPECTED)) {
            while (result.next()) {
                firings.add(result.getString(1));
            }
        }
        return firings;
    }

    /** The number of firings the changes recorded so far call for. */
    static long expectedCount(PostgresHarness postgres, String database) throws SQLException {
        try (Connection connection = postgres.connect(database);
                Statement statement = connection.createStatement();
                ResultSet result =
                        statement.executeQuery("SELECT count(*) FROM (" + EXPECTED + ") AS e")) {
            result.next();
            return result.getLong(1);
        }
    }

    /** The number of row changes recorded. */
    static long changes(PostgresHarness postgres, String database) throws SQLException {
        try (Connection connection = postgres.connect(database);
                Statement statement = connection.createStatement();
                ResultSet result =
                        statement.executeQuery("SELECT count(*) FROM public.change_oracle")) {
            result.next();
            return result.getLong(1);
        }
    }

    /** The firing a delivered webhook body stands for. */
    static String firingOf(String body) {
        try {
            JsonNode document = JSON.readTree(body);
            JsonNode event = document.path("event");
            String id = event.path("key").path("id").asText();
            String rev =
                    "delete".equals(event.path("op").asText())
                            ? "deleted"
                            : event.path("after").path("rev").asText();
            return document.path("observer").asText() + ":" + id + ":" + rev;
        } catch (IOException e) {
            throw new UncheckedIOException("a delivery's body is not JSON: " + body, e);
        }
    }

    /** The observer names, in file order. */
    static List<String> observerNames() {
        return List.of(
                "order-created", "order-shipped", "big-item", "customer-gold", "customer-removed");
    }
}
