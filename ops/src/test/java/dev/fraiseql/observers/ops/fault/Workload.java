package dev.fraiseql.observers.ops.fault;

import dev.fraiseql.observers.testing.PostgresHarness;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The changes of a fault run: inserts, updates and deletes across {@code orders}, {@code customers}
 * and {@code items}, in transactions of one to eight statements, plus one large transaction that
 * inserts many items at once. Every update raises the row's {@code rev}, so each change of a row
 * has its own identity that a delivery can be matched against.
 *
 * <p>Triggers record every row change in {@code change_oracle} (a table the connector does not
 * capture), in the same transaction as the change: {@link Oracle} reads from it what the observers
 * must fire.
 *
 * <p>The choices come from a seeded {@link Random}, so a seed replays the same workload.
 */
final class Workload {
    private static final String[] ORDER_STATUSES = {"new", "paid", "shipped", "cancelled"};
    private static final String[] TIERS = {"basic", "silver", "gold"};

    private final PostgresHarness postgres;
    private final String database;
    private final Random random;
    private final int bigTransactionRows;
    private final AtomicLong written = new AtomicLong();
    private final List<Long> orders = new ArrayList<>();
    private final List<Long> customers = new ArrayList<>();
    private final List<Long> items = new ArrayList<>();
    private long nextId = 1;
    private boolean bigTransactionDone;

    Workload(PostgresHarness postgres, String database, long seed, int bigTransactionRows) {
        this.postgres = postgres;
        this.database = database;
        this.random = new Random(seed);
        this.bigTransactionRows = bigTransactionRows;
    }

    /** Creates the tables, the oracle table and its triggers. */
    void createSchema() {
        postgres.execute(
                database,
                "CREATE TABLE public.orders (id bigint PRIMARY KEY, status text NOT NULL,"
                        + " amount numeric(12,2) NOT NULL, rev int NOT NULL)",
                "CREATE TABLE public.customers (id bigint PRIMARY KEY, name text NOT NULL,"
                        + " tier text NOT NULL, rev int NOT NULL)",
                "CREATE TABLE public.items (id bigint PRIMARY KEY, order_id bigint NOT NULL,"
                        + " qty int NOT NULL, rev int NOT NULL)",
                "CREATE TABLE public.change_oracle (seq bigserial PRIMARY KEY, tbl text NOT NULL,"
                        + " op text NOT NULL, old_row jsonb, new_row jsonb)",
                "CREATE FUNCTION public.record_change() RETURNS trigger LANGUAGE plpgsql AS $$"
                        + " BEGIN INSERT INTO public.change_oracle (tbl, op, old_row, new_row)"
                        + " VALUES (TG_TABLE_NAME, TG_OP,"
                        + " CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,"
                        + " CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END);"
                        + " RETURN NULL; END $$",
                trigger("orders"),
                trigger("customers"),
                trigger("items"));
    }

    private static String trigger(String table) {
        return "CREATE TRIGGER "
                + table
                + "_changes AFTER INSERT OR UPDATE OR DELETE ON public."
                + table
                + " FOR EACH ROW EXECUTE FUNCTION public.record_change()";
    }

    /** The row changes committed so far. */
    long written() {
        return written.get();
    }

    /**
     * Commits transactions until about {@code changes} more rows have changed; the large
     * transaction is written once, in the slice during which the total passes {@code bigAt}.
     */
    void writeSlice(Connection connection, int changes, long bigAt) throws SQLException {
        long target = written.get() + changes;
        while (written.get() < target) {
            if (!bigTransactionDone && bigTransactionRows > 0 && written.get() >= bigAt) {
                written.addAndGet(bigTransaction(connection));
                bigTransactionDone = true;
                continue;
            }
            written.addAndGet(transaction(connection, 1 + random.nextInt(8)));
        }
    }

    /** Opens a connection for the writer, with explicit transactions. */
    Connection connect() throws SQLException {
        Connection connection = postgres.connect(database);
        connection.setAutoCommit(false);
        return connection;
    }

    private int transaction(Connection connection, int statements) throws SQLException {
        int rows = 0;
        List<Runnable> onCommit = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            for (int i = 0; i < statements; i++) {
                rows += statement.executeUpdate(nextStatement(onCommit));
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
        onCommit.forEach(Runnable::run);
        return rows;
    }

    /** One statement, chosen by weight; the id lists change only once the commit succeeded. */
    private String nextStatement(List<Runnable> onCommit) {
        int dice = random.nextInt(100);
        if (dice < 22 || orders.isEmpty()) {
            long id = nextId++;
            onCommit.add(() -> orders.add(id));
            BigDecimal amount = BigDecimal.valueOf(random.nextInt(1_000_000), 2);
            return "INSERT INTO public.orders VALUES (" + id + ", 'new', " + amount + ", 0)";
        }
        if (dice < 40) {
            String status = ORDER_STATUSES[random.nextInt(ORDER_STATUSES.length)];
            return "UPDATE public.orders SET status = '"
                    + status
                    + "', rev = rev + 1 WHERE id = "
                    + pick(orders);
        }
        if (dice < 50 || customers.isEmpty()) {
            long id = nextId++;
            onCommit.add(() -> customers.add(id));
            return "INSERT INTO public.customers VALUES (" + id + ", 'c" + id + "', 'basic', 0)";
        }
        if (dice < 58) {
            String tier = TIERS[random.nextInt(TIERS.length)];
            return "UPDATE public.customers SET tier = '"
                    + tier
                    + "', rev = rev + 1 WHERE id = "
                    + pick(customers);
        }
        if (dice < 62) {
            long id = pick(customers);
            onCommit.add(() -> customers.remove(id));
            return "DELETE FROM public.customers WHERE id = " + id;
        }
        if (dice < 80 || items.isEmpty()) {
            long id = nextId++;
            onCommit.add(() -> items.add(id));
            return "INSERT INTO public.items VALUES ("
                    + id
                    + ", "
                    + pick(orders)
                    + ", "
                    + (1 + random.nextInt(100))
                    + ", 0)";
        }
        if (dice < 92) {
            return "UPDATE public.items SET qty = "
                    + (1 + random.nextInt(100))
                    + ", rev = rev + 1 WHERE id = "
                    + pick(items);
        }
        if (dice < 95) {
            // Up to ten rows in one statement.
            long from = pick(items);
            return "UPDATE public.items SET qty = qty + 1, rev = rev + 1 WHERE id BETWEEN "
                    + from
                    + " AND "
                    + (from + 9);
        }
        if (dice < 98) {
            long id = pick(items);
            onCommit.add(() -> items.remove(id));
            return "DELETE FROM public.items WHERE id = " + id;
        }
        long id = pick(orders);
        onCommit.add(() -> orders.remove(id));
        return "DELETE FROM public.orders WHERE id = " + id;
    }

    private int bigTransaction(Connection connection) throws SQLException {
        long first = nextId;
        nextId += bigTransactionRows;
        int rows;
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO public.items SELECT n, ?, 1 + n % 100, 0"
                                + " FROM generate_series(?::bigint, ?::bigint) AS n")) {
            insert.setLong(1, pick(orders));
            insert.setLong(2, first);
            insert.setLong(3, first + bigTransactionRows - 1);
            rows = insert.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
        for (long id = first; id < first + bigTransactionRows; id++) {
            items.add(id);
        }
        return rows;
    }

    private long pick(List<Long> ids) {
        return ids.isEmpty() ? 0 : ids.get(random.nextInt(ids.size()));
    }
}
