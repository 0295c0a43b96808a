package dev.fraiseql.observers.streams.app;

import dev.fraiseql.observers.streams.http.Health;
import java.time.Duration;

/**
 * One part of the running product: the connectors supervisor, the Kafka Streams topology, the job
 * worker, the HTTP endpoint. {@link ObserversApplication} starts the parts in order, tracks each
 * one's {@link PartState} and closes them in reverse order.
 */
public interface Part {
    /** The name in logs and in {@code /health}: {@code topology}, {@code worker}. */
    String name();

    /**
     * Starts the part. It may return before the part is ready (Kafka Streams still rebalancing):
     * readiness is what {@link #health()} says.
     */
    void start() throws Exception;

    /** The part's own view of its health while it is running; cheap and non-blocking. */
    Health health();

    /**
     * Stops the part: finish in-flight work for up to the timeout, commit, release resources.
     * Called once, also after a failed start.
     */
    void close(Duration timeout) throws Exception;
}
