package dev.fraiseql.observers.streams.http;

/**
 * Something whose health counts toward {@code /health/ready}: the Kafka Streams topology, the job
 * worker, each connector. Register it with {@link HealthRegistry#register}.
 */
public interface HealthContributor {
    /** The name shown in the health report ({@code topology}, {@code connector:inventory}). */
    String name();

    /** The current health; called on every health request, so it must be cheap and not block. */
    Health health();
}
