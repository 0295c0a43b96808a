package dev.fraiseql.observers.core.observer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Running counts of one observer since it was loaded: events tested, matches, conditions that could
 * not be decided for an unavailable field, and run-time errors with the last one. Thread-safe: the
 * stream threads count, the HTTP endpoint reads.
 */
public final class ObserverStats {
    private final AtomicLong evaluated = new AtomicLong();
    private final AtomicLong matched = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>("");

    /** Events this observer listened to and tested. */
    public long evaluated() {
        return evaluated.get();
    }

    /** Events whose condition held. */
    public long matched() {
        return matched.get();
    }

    /** Events not fired because the condition read an unavailable field. */
    public long unavailable() {
        return unavailable.get();
    }

    /** Events whose condition failed at run time. */
    public long errors() {
        return errors.get();
    }

    /** The last run-time error, or an empty text. */
    public String lastError() {
        return lastError.get();
    }

    void countEvaluated() {
        evaluated.incrementAndGet();
    }

    void countMatched() {
        matched.incrementAndGet();
    }

    void countUnavailable() {
        unavailable.incrementAndGet();
    }

    /** Counts an error and returns the new error count. */
    long countError(String message) {
        lastError.set(message);
        return errors.incrementAndGet();
    }
}
