package dev.fraiseql.observers.core.observer;

import dev.fraiseql.observers.core.action.ActionSpec;
import dev.fraiseql.observers.core.observer.condition.Condition;
import dev.fraiseql.observers.core.observer.condition.Evaluation;
import dev.fraiseql.observers.core.observer.condition.EventContext;
import dev.fraiseql.observers.schemas.Operation;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One observer as loaded from its file: which changes it listens to and what it does about them.
 *
 * @param name unique across all observer files; part of every job id it produces
 * @param entity the table it watches, {@code schema.table}
 * @param operations the operations it listens to
 * @param condition the compiled {@code when} condition; null when the observer has none (it then
 *     fires on every listed operation)
 * @param actions what to do, in order; each match produces one job per action
 * @param enabled false when the file switches the observer off ({@code enabled: false})
 * @param file the file it came from, relative to the config folder
 * @param line the line of its entry in that file
 */
public record Observer(
        String name,
        String entity,
        Set<Operation> operations,
        Condition condition,
        List<ActionSpec> actions,
        boolean enabled,
        String file,
        int line) {

    public Observer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(file, "file");
        if (operations.isEmpty()) {
            throw new IllegalArgumentException("observer " + name + " listens to no operation");
        }
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("observer " + name + " has no action");
        }
        operations = Set.copyOf(EnumSet.copyOf(operations));
        actions = List.copyOf(actions);
    }

    /** The condition as written, or an empty text when there is none. */
    public String conditionText() {
        return condition == null ? "" : condition.text();
    }

    /** True when the observer listens to this operation on this entity and is enabled. */
    public boolean listensTo(String eventEntity, Operation op) {
        return enabled && entity.equals(eventEntity) && operations.contains(op);
    }

    /** Tests the condition; an observer without one matches every event it listens to. */
    public Evaluation evaluate(EventContext event) {
        return condition == null ? Evaluation.MATCH : condition.evaluate(event);
    }
}
