package dev.fraiseql.observers.streams.app;

/** Builds one part from the context; called only when the part is switched on. */
@FunctionalInterface
public interface PartFactory {
    Part create(PartContext context) throws Exception;
}
