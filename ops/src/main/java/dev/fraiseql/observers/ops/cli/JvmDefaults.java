package dev.fraiseql.observers.ops.cli;

import java.util.concurrent.ForkJoinPool;

/**
 * JVM-wide settings the product relies on, applied first thing in {@code main}.
 *
 * <p>The common fork-join pool gets a parallelism of at least 2. With its default (one less than
 * the cores) a machine or container with two cores gets 1, and {@code CompletableFuture}'s default
 * executor then starts a new thread for every task. The JDK's HTTP client hands every answer of
 * {@code sendAsync} to that executor, so each webhook delivery cost a thread start (39,000 in a 100
 * s benchmark run here). An explicit {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism}
 * is left as it is.
 */
public final class JvmDefaults {
    static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private JvmDefaults() {}

    /**
     * Applies the defaults; must run before anything uses the common pool.
     *
     * @return the common pool's parallelism in effect
     */
    public static int apply() {
        if (System.getProperty(PARALLELISM) == null) {
            int cores = Runtime.getRuntime().availableProcessors();
            System.setProperty(PARALLELISM, Integer.toString(Math.max(2, cores - 1)));
        }
        return ForkJoinPool.getCommonPoolParallelism();
    }
}
