package dev.fraiseql.observers.connectors;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;

/**
 * Why a connector stopped, sorted into what a new attempt can cure (the database or Kafka was
 * unreachable) and what only a person can (credentials, server settings, missing tables).
 *
 * @param permanent true when retrying cannot help
 * @param message the cause and, for permanent failures, what to fix; never contains a secret
 */
record Failure(boolean permanent, String message) {

    Failure {
        Objects.requireNonNull(message, "message");
    }

    static Failure permanent(String message) {
        return new Failure(true, message);
    }

    static Failure retriable(String message) {
        return new Failure(false, message);
    }

    /**
     * Sorts an error from a database driver or the engine. Authentication, authorization, a missing
     * database and missing logical decoding are permanent; anything else is retried, because an
     * unreachable or restarting server looks the same as a network fault.
     */
    static Failure classify(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                Failure failure = classifySqlState(sql.getSQLState(), firstLine(sql.getMessage()));
                if (failure != null) {
                    return failure;
                }
            }
            if (cause instanceof ClassNotFoundException) {
                return permanent(
                        "the Debezium connector class "
                                + firstLine(cause.getMessage())
                                + " is not on the classpath; add its connector jar (for type"
                                + " mariadb: io.debezium:debezium-connector-mariadb)");
            }
            String text = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            if (text.contains("mariadb") && text.contains("show binary log status")) {
                return permanent(
                        firstLine(cause.getMessage())
                                + "; Debezium's MySQL connector does not read MariaDB 10 or later:"
                                + " write type: mariadb");
            }
            if (text.contains("password authentication failed")
                    || text.contains("access denied for user")) {
                return permanent(
                        "authentication failed ("
                                + firstLine(cause.getMessage())
                                + "); fix database.user and database.password");
            }
            if (text.contains("wal_level")) {
                return permanent(
                        firstLine(cause.getMessage())
                                + "; set wal_level = logical in postgresql.conf and restart"
                                + " PostgreSQL");
            }
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return retriable(root.getClass().getSimpleName() + ": " + firstLine(root.getMessage()));
    }

    private static Failure classifySqlState(String state, String message) {
        if (state.startsWith("28")) {
            return permanent(
                    "authentication failed ("
                            + message
                            + "); fix database.user and database.password");
        }
        if (state.equals("3D000")) {
            return permanent(message + "; fix database.name or create the database");
        }
        if (state.equals("42501")) {
            return permanent(
                    message
                            + "; grant the user the REPLICATION attribute and SELECT on the"
                            + " captured tables");
        }
        if (state.equals("55000") && message.toLowerCase(Locale.ROOT).contains("wal_level")) {
            return permanent(
                    message
                            + "; set wal_level = logical in postgresql.conf and restart"
                            + " PostgreSQL");
        }
        return null;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "no message";
        }
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).trim();
    }
}
