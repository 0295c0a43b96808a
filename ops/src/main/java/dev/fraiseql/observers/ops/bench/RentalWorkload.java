package dev.fraiseql.observers.ops.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;

/**
 * Commits the changes of {@link RentalChanges} to the rental table of a real PostgreSQL database,
 * in batched transactions: change {@code i} inserts rental {@code i / 2 + 1} when {@code i} is even
 * and returns it when it is odd.
 *
 * <p>The session commits with {@code synchronous_commit = on}, as an application on a default
 * PostgreSQL does: the embedded server turns it off, which makes logical decoding see a commit only
 * when the WAL writer next flushes (up to 200 ms later), a delay that no production database has.
 */
final class RentalWorkload implements AutoCloseable {
    private final Connection connection;
    private final PreparedStatement insert;
    private final PreparedStatement update;

    RentalWorkload(Connection connection) throws SQLException {
        this.connection = connection;
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET synchronous_commit = on");
        }
        connection.setAutoCommit(false);
        this.insert =
                connection.prepareStatement(
                        "INSERT INTO public.rental (rental_id, rental_date, inventory_id,"
                            + " customer_id, return_date, staff_id) VALUES (?, ?, ?, ?, NULL, ?)");
        this.update =
                connection.prepareStatement(
                        "UPDATE public.rental SET return_date = ?, last_update = now()"
                                + " WHERE rental_id = ?");
    }

    /** Creates the rental table. */
    static void createTable(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(RentalChanges.SCHEMA_SQL);
        }
    }

    /** Commits changes {@code first} to {@code first + count - 1} in one transaction. */
    void commit(int first, int count) throws SQLException {
        int inserts = 0;
        int updates = 0;
        for (int i = first; i < first + count; i++) {
            int rental = RentalChanges.rentalId(i);
            if (RentalChanges.isInsert(i)) {
                insert.setInt(1, rental);
                insert.setTimestamp(2, Timestamp.from(RentalChanges.rentalDate(rental)));
                insert.setInt(3, RentalChanges.inventoryId(rental));
                insert.setInt(4, RentalChanges.customerId(rental));
                insert.setInt(5, RentalChanges.staffId(rental));
                insert.addBatch();
                inserts++;
            } else {
                update.setTimestamp(1, Timestamp.from(RentalChanges.returnDate(rental)));
                update.setInt(2, rental);
                update.addBatch();
                updates++;
            }
        }
        try {
            if (inserts > 0) {
                insert.executeBatch();
            }
            if (updates > 0) {
                update.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    @Override
    public void close() throws SQLException {
        insert.close();
        update.close();
        connection.close();
    }
}
