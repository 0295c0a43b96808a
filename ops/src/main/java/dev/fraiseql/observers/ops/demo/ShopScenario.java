package dev.fraiseql.observers.ops.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The built-in demo: a small shop (customers, orders with a {@code numeric(10,2)} amount and a
 * {@code jsonb} column, notes with a large text body) and three observers: shipped orders and big
 * orders go to a receiver that answers 200, cancelled orders to one that always answers 500 with a
 * short retry policy, so that they are retried and then dead-lettered.
 */
final class ShopScenario implements DemoScenario {
    /** Orders above this amount are big; the observer's condition uses the same literal. */
    static final BigDecimal BIG_ORDER = new BigDecimal("1000.00");

    /** Attempts of the cancelled-order webhook, the first one included. */
    static final int CANCELLED_ATTEMPTS = 3;

    private static final int BURST_ORDERS = 20;

    @Override
    public String name() {
        return "shop";
    }

    @Override
    public List<String> tables() {
        return List.of("public.customers", "public.orders", "public.order_notes");
    }

    @Override
    public String snapshotMode() {
        return "initial";
    }

    /** The sample schema, run before the connector starts. */
    static String schemaSql() {
        try (InputStream in = ShopScenario.class.getResourceAsStream("/demo/shop-schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("demo/shop-schema.sql is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String observersYaml(DemoReceiver receiver) {
        return String.join(
                "\n",
                "observers:",
                "  - name: order-shipped",
                "    entity: public.orders",
                "    on: [update]",
                "    when: changed_to('status', 'shipped')",
                "    actions:",
                "      - webhook:",
                "          url: " + receiver.okUrl("shipped"),
                "          secret: whsec_b2JzZXJ2ZXJzLWRlbW8tc2hpcHBpbmcta2V5LTIwMjY=",
                "  - name: big-order",
                "    entity: public.orders",
                "    on: [create]",
                "    when: after.amount > " + BIG_ORDER.toPlainString(),
                "    actions:",
                "      - webhook:",
                "          url: " + receiver.okUrl("big-orders"),
                "  - name: order-cancelled",
                "    entity: public.orders",
                "    on: [update]",
                "    when: changed_to('status', 'cancelled')",
                "    actions:",
                "      - webhook:",
                "          url: " + receiver.failingUrl("cancellations"),
                "        retry: { max_attempts: "
                        + CANCELLED_ATTEMPTS
                        + ", initial_delay: 1s, multiplier: 2, max_delay: 2s, jitter: 0 }",
                "");
    }

    @Override
    public Expectation run(Connection connection, PrintWriter out) throws SQLException {
        Expectation total = Expectation.none();

        long customers =
                update(
                        connection,
                        "INSERT INTO public.customers (id, name, email) VALUES"
                                + " (1, 'Ada Lovelace', 'ada@example.test'),"
                                + " (2, 'Alan Turing', 'alan@example.test'),"
                                + " (3, 'Grace Hopper', 'grace@example.test')");
        out.printf("workload: inserted %d customers%n", customers);
        total = total.plus(changes(customers));

        String[] amounts = {"120.00", "1500.00", "75.50", "2400.00", "999.99", "1000.00"};
        long big = 0;
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO public.orders (id, customer_id, amount, details)"
                                + " VALUES (?, ?, ?, ?::jsonb)")) {
            for (int i = 0; i < amounts.length; i++) {
                BigDecimal amount = new BigDecimal(amounts[i]);
                insert.setInt(1, i + 1);
                insert.setInt(2, 1 + i % 2);
                insert.setBigDecimal(3, amount);
                insert.setString(4, "{\"channel\": \"web\", \"items\": " + (i + 1) + "}");
                insert.executeUpdate();
                big += amount.compareTo(BIG_ORDER) > 0 ? 1 : 0;
            }
        }
        out.printf(
                "workload: inserted %d orders (%d above %s, 999.99 and 1000.00 are not)%n",
                amounts.length, big, BIG_ORDER);
        total = total.plus(changes(amounts.length)).plus(delivered(big));

        String note = "Gift wrap, please. ".repeat(600);
        update(
                connection,
                "INSERT INTO public.order_notes (id, order_id, body) VALUES (1, 2, '"
                        + note
                        + "')");
        long pinned =
                update(connection, "UPDATE public.order_notes SET pinned = true WHERE id = 1");
        out.printf(
                "workload: added a %d-character note to order 2, then pinned it (the body is"
                        + " unchanged TOAST)%n",
                note.length());
        total = total.plus(changes(1 + pinned));

        long shipped =
                update(
                        connection,
                        "UPDATE public.orders SET status = 'shipped', updated_at = now()"
                                + " WHERE id IN (1, 2, 3)");
        out.printf("workload: shipped %d orders%n", shipped);
        total = total.plus(changes(shipped)).plus(delivered(shipped));

        long cancelled =
                update(
                        connection,
                        "UPDATE public.orders SET status = 'cancelled', updated_at = now()"
                                + " WHERE id IN (4, 5)");
        out.printf(
                "workload: cancelled %d orders (their receiver always answers 500)%n", cancelled);
        total = total.plus(changes(cancelled)).plus(deadLettered(cancelled));

        long deletedOrders = update(connection, "DELETE FROM public.orders WHERE id = 6");
        long deletedCustomers = update(connection, "DELETE FROM public.customers WHERE id = 3");
        out.printf("workload: deleted %d order and %d customer%n", deletedOrders, deletedCustomers);
        total = total.plus(changes(deletedOrders + deletedCustomers));

        total = total.plus(burst(connection, out));
        return total;
    }

    /** Many changes in one transaction: inserts, then the same rows shipped. */
    private static Expectation burst(Connection connection, PrintWriter out) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        long inserted = 0;
        long big = 0;
        long shipped;
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO public.orders (id, customer_id, amount) VALUES (?, ?, ?)")) {
            for (int i = 0; i < BURST_ORDERS; i++) {
                // One order of the burst is big, so the burst also makes a big-order job.
                BigDecimal amount =
                        i == 7 ? new BigDecimal("5000.00") : new BigDecimal("10.00").add(cents(i));
                insert.setInt(1, 100 + i);
                insert.setInt(2, 1 + i % 2);
                insert.setBigDecimal(3, amount);
                inserted += insert.executeUpdate();
                big += amount.compareTo(BIG_ORDER) > 0 ? 1 : 0;
            }
            shipped =
                    update(
                            connection,
                            "UPDATE public.orders SET status = 'shipped' WHERE id >= 100");
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        out.printf(
                "workload: burst of %d changes in one transaction (%d orders inserted, %d big,"
                        + " all shipped)%n",
                inserted + shipped, inserted, big);
        return changes(inserted + shipped).plus(delivered(big + shipped));
    }

    private static BigDecimal cents(int i) {
        return new BigDecimal(i).movePointLeft(2);
    }

    private static long update(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    private static Expectation changes(long n) {
        return new Expectation(n, 0, 0, 0, 0);
    }

    private static Expectation delivered(long jobs) {
        return new Expectation(0, jobs, jobs, 0, 0);
    }

    private static Expectation deadLettered(long jobs) {
        return new Expectation(0, jobs, 0, jobs * (CANCELLED_ATTEMPTS - 1), jobs);
    }
}
