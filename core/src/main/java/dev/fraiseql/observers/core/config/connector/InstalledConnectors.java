package dev.fraiseql.observers.core.config.connector;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Tells whether a Debezium connector class can run in this installation: the class is on the
 * classpath and is a Kafka Connect source connector. {@code core} does not depend on Kafka Connect,
 * so the check goes by class names, without loading or initialising anything beyond the class.
 */
public final class InstalledConnectors {
    private static final String SOURCE_CONNECTOR =
            "org.apache.kafka.connect.source.SourceConnector";

    private InstalledConnectors() {}

    /** A check against the classes that this class loader can load. */
    public static Predicate<String> in(ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        return className -> isSourceConnector(className, loader);
    }

    private static boolean isSourceConnector(String className, ClassLoader loader) {
        try {
            for (Class<?> type = Class.forName(className, false, loader);
                    type != null;
                    type = type.getSuperclass()) {
                if (type.getName().equals(SOURCE_CONNECTOR)) {
                    return true;
                }
            }
            return false;
        } catch (ClassNotFoundException | LinkageError e) {
            // Missing, or present without what it needs (a jar of its own dependencies): either
            // way the engine could not start it.
            return false;
        }
    }
}
