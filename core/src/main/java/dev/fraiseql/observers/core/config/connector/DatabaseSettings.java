package dev.fraiseql.observers.core.config.connector;

import java.util.Objects;

/**
 * Where a connector's database is and how to log in. The password is a {@link Secret}, so printing
 * this record never shows it.
 *
 * @param host host name or address
 * @param port TCP port, 1 to 65535
 * @param name the database to read (PostgreSQL's database name; for MySQL and MariaDB the database
 *     whose tables are captured, or empty for every database the user can see)
 * @param user the login user
 * @param password the login password
 */
public record DatabaseSettings(String host, int port, String name, String user, Secret password) {

    public DatabaseSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
    }
}
