package dev.fraiseql.observers.core.observer;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The observer set in force. The matching step reads it for every event; a reload swaps it in one
 * step, so an event is matched against the old set or the new one, never a mix.
 */
public final class ObserverRegistry implements Supplier<ObserverSet> {
    private final AtomicReference<ObserverSet> current;

    /** A registry starting with these observers. */
    public ObserverRegistry(List<Observer> observers) {
        this.current = new AtomicReference<>(new ObserverSet(observers));
    }

    /** The set in force. */
    @Override
    public ObserverSet get() {
        return current.get();
    }

    /** Puts new observers in force, keeping the counts of those whose name stays. */
    public ObserverSet replace(List<Observer> observers) {
        Objects.requireNonNull(observers, "observers");
        return current.updateAndGet(set -> set.replacedBy(observers));
    }
}
