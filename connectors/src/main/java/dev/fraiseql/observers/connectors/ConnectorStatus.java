package dev.fraiseql.observers.connectors;

import java.time.Instant;
import java.util.Objects;

/**
 * What one connector is doing, for the health endpoint and the logs.
 *
 * @param name the connector name from its file (or the file's name when the file is invalid)
 * @param type the connector type as written in the file ({@code postgres}, {@code mysql}, ...)
 * @param state the lifecycle state
 * @param message what happened last, and for {@code FAILED} what to fix; never contains a secret
 * @param since when the connector entered this state
 */
public record ConnectorStatus(
        String name, String type, ConnectorState state, String message, Instant since) {

    public ConnectorStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        message = message == null ? "" : message;
    }
}
