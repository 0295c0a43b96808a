package dev.fraiseql.observers.streams.topology;

import dev.fraiseql.observers.schemas.ChangeEvent;

/**
 * What the change processor sends on: a change event for the events topic, or a source record for
 * the DLQ. It never leaves the sub-topology, so it needs no serde.
 */
sealed interface Routed {

    /** A normalized, deduplicated, cache-completed change event. */
    record Event(ChangeEvent event) implements Routed {}

    /** A source record that could not be processed, with its original bytes. */
    record DeadLetter(byte[] key, byte[] value) implements Routed {}
}
