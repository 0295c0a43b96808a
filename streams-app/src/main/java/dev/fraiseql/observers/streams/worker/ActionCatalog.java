package dev.fraiseql.observers.streams.worker;

import dev.fraiseql.observers.core.action.ActionSpec;
import dev.fraiseql.observers.core.observer.Observer;
import dev.fraiseql.observers.core.observer.ObserverSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The actions the worker can run, found by a job's observer name and action index (the position of
 * the action in the observer's {@code actions} list).
 */
public interface ActionCatalog {

    /** The action a job asks for, if the loaded observers still have it. */
    Optional<ActionSpec> find(String observer, int actionIndex);

    /** Every action, to derive the retry topics from their policies. */
    Collection<ActionSpec> all();

    /**
     * The actions of the observer set in force at each lookup (an {@code ObserverRegistry} swaps it
     * on reload). The retry topics are derived once, when the worker starts: a reload that brings a
     * new delay reaches its topic after a restart; until then such jobs wait in the nearest longer
     * topic ({@link JobTopics#retryTopicFor}).
     */
    static ActionCatalog live(Supplier<ObserverSet> observers) {
        Objects.requireNonNull(observers, "observers");
        return new ActionCatalog() {
            @Override
            public Optional<ActionSpec> find(String observer, int actionIndex) {
                return observers.get().observers().stream()
                        .filter(candidate -> candidate.name().equals(observer))
                        .findFirst()
                        .filter(found -> actionIndex >= 0 && actionIndex < found.actions().size())
                        .map(found -> found.actions().get(actionIndex));
            }

            @Override
            public Collection<ActionSpec> all() {
                return observers.get().observers().stream()
                        .map(Observer::actions)
                        .flatMap(List::stream)
                        .toList();
            }
        };
    }

    /** A catalog over a fixed map of observer name to its actions in order. */
    static ActionCatalog of(Map<String, List<ActionSpec>> actionsByObserver) {
        Map<String, List<ActionSpec>> copy = Map.copyOf(actionsByObserver);
        return new ActionCatalog() {
            @Override
            public Optional<ActionSpec> find(String observer, int actionIndex) {
                List<ActionSpec> actions = copy.get(Objects.requireNonNull(observer, "observer"));
                if (actions == null || actionIndex < 0 || actionIndex >= actions.size()) {
                    return Optional.empty();
                }
                return Optional.of(actions.get(actionIndex));
            }

            @Override
            public Collection<ActionSpec> all() {
                return copy.values().stream().flatMap(List::stream).toList();
            }
        };
    }
}
