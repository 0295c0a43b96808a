package dev.fraiseql.observers.ops.demo;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo on the Pagila sample (a DVD rental shop), loaded from a user's dump: rentals that come
 * back and payments over a threshold become webhooks. The connector does not snapshot the existing
 * rows ({@code no_data}): the sample holds tens of thousands, and the demo counts only the changes
 * its workload makes to real Pagila rows.
 */
final class PagilaScenario implements DemoScenario {
    /** Payments above this amount are big; the observer's condition uses the same literal. */
    static final BigDecimal BIG_PAYMENT = new BigDecimal("10.00");

    private static final int RETURNS = 10;
    private static final String[] PAYMENTS = {"11.99", "4.99", "10.50", "2.99", "10.00", "10.01"};

    /** True when the database holds Pagila's rental and payment tables. */
    static boolean detect(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result =
                        statement.executeQuery(
                                "SELECT count(*) FROM information_schema.tables WHERE table_schema"
                                        + " = 'public' AND table_name IN ('rental', 'payment',"
                                        + " 'inventory')")) {
            result.next();
            return result.getInt(1) == 3;
        }
    }

    @Override
    public String name() {
        return "pagila";
    }

    @Override
    public List<String> tables() {
        return List.of("public.rental", "public.payment");
    }

    @Override
    public String snapshotMode() {
        return "no_data";
    }

    @Override
    public String observersYaml(DemoReceiver receiver) {
        // Without a snapshot the entity cache starts cold, so the rule reads only the new row
        // image: the workload changes only open rentals, so a return date means a return.
        return String.join(
                "\n",
                "observers:",
                "  - name: rental-returned",
                "    entity: public.rental",
                "    on: [update]",
                "    when: after.return_date != null",
                "    actions:",
                "      - webhook:",
                "          url: " + receiver.okUrl("rental-returns"),
                "  - name: big-payment",
                "    entity: public.payment",
                "    on: [create]",
                "    when: after.amount > " + BIG_PAYMENT.toPlainString(),
                "    actions:",
                "      - webhook:",
                "          url: " + receiver.okUrl("big-payments"),
                "");
    }

    @Override
    public Expectation run(Connection connection, PrintWriter out) throws SQLException {
        List<int[]> rentals = openRentals(connection);
        long returned = 0;
        try (PreparedStatement update =
                connection.prepareStatement(
                        "UPDATE public.rental SET return_date = rental_date + interval '3 days'"
                                + " WHERE rental_id = ? AND return_date IS NULL")) {
            for (int[] rental : rentals) {
                update.setInt(1, rental[0]);
                returned += update.executeUpdate();
            }
        }
        out.printf("workload: returned %d open rentals%n", returned);

        long inserted = 0;
        long big = 0;
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO public.payment (customer_id, staff_id, rental_id, amount,"
                                + " payment_date) VALUES (?, 1, ?, ?, '2022-07-20 12:00:00+00')")) {
            for (int i = 0; i < PAYMENTS.length && i < rentals.size(); i++) {
                BigDecimal amount = new BigDecimal(PAYMENTS[i]);
                insert.setInt(1, rentals.get(i)[1]);
                insert.setInt(2, rentals.get(i)[0]);
                insert.setBigDecimal(3, amount);
                inserted += insert.executeUpdate();
                big += amount.compareTo(BIG_PAYMENT) > 0 ? 1 : 0;
            }
        }
        out.printf(
                "workload: inserted %d payments for those rentals (%d above %s)%n",
                inserted, big, BIG_PAYMENT);

        long jobs = returned + big;
        return new Expectation(returned + inserted, jobs, jobs, 0, 0);
    }

    /** Rental id and customer id of the first open rentals. */
    private static List<int[]> openRentals(Connection connection) throws SQLException {
        List<int[]> rentals = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet result =
                        statement.executeQuery(
                                "SELECT rental_id, customer_id FROM public.rental"
                                        + " WHERE return_date IS NULL ORDER BY rental_id LIMIT "
                                        + RETURNS)) {
            while (result.next()) {
                rentals.add(new int[] {result.getInt(1), result.getInt(2)});
            }
        }
        if (rentals.isEmpty()) {
            throw new IllegalStateException(
                    "the Pagila dump has no open rentals (return_date IS NULL) to return");
        }
        return rentals;
    }
}
