package dev.fraiseql.observers.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class FailureTest {

    @Test
    void wrongPasswordIsPermanentAndSaysWhatToFix() {
        SQLException error =
                new SQLException("FATAL: password authentication failed for user \"cdc\"", "28P01");

        Failure failure = Failure.classify(new RuntimeException("engine failed", error));

        assertThat(failure.permanent()).isTrue();
        assertThat(failure.message())
                .isEqualTo(
                        "authentication failed (FATAL: password authentication failed for user"
                                + " \"cdc\"); fix database.user and database.password");
    }

    @Test
    void missingDatabaseIsPermanent() {
        Failure failure =
                Failure.classify(
                        new SQLException("FATAL: database \"shop\" does not exist", "3D000"));

        assertThat(failure.permanent()).isTrue();
        assertThat(failure.message()).endsWith("; fix database.name or create the database");
    }

    @Test
    void walLevelReportedByTheEngineIsPermanent() {
        Failure failure =
                Failure.classify(
                        new ConnectException(
                                "Postgres server wal_level property must be 'logical' but is:"
                                        + " 'replica'"));

        assertThat(failure.permanent()).isTrue();
        assertThat(failure.message()).contains("set wal_level = logical in postgresql.conf");
    }

    @Test
    void refusedConnectionIsRetriedAndNamesTheRootCause() {
        SQLException error =
                new SQLException(
                        "Connection to 127.0.0.1:1 refused.",
                        "08001",
                        new java.net.ConnectException("Connection refused"));

        Failure failure = Failure.classify(error);

        assertThat(failure.permanent()).isFalse();
        assertThat(failure.message()).isEqualTo("ConnectException: Connection refused");
    }

    @Test
    void mysqlAccessDeniedIsPermanent() {
        Failure failure =
                Failure.classify(
                        new IllegalStateException(
                                "Access denied for user 'cdc'@'localhost' (using password: YES)"));

        assertThat(failure.permanent()).isTrue();
        assertThat(failure.message()).contains("fix database.user and database.password");
    }
}
