package dev.fraiseql.observers.core.action;

import java.util.Collection;

/**
 * Ties the executors to the observer file checks, so each action's options are known in one place.
 */
public final class ActionExecutors {

    private ActionExecutors() {}

    /**
     * The standard validators with every given executor's own, fuller check in place of the
     * built-in one of its type: what the loader accepts is exactly what the executor can run.
     */
    public static ActionOptionsValidators validators(
            Collection<? extends ActionExecutor> executors) {
        ActionOptionsValidators validators = ActionOptionsValidators.standard();
        for (ActionExecutor executor : executors) {
            validators = validators.with(executor.type(), executor::validate);
        }
        return validators;
    }
}
