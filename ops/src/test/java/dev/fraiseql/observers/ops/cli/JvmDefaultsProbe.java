package dev.fraiseql.observers.ops.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * Prints the common pool's parallelism and whether {@code CompletableFuture}'s default executor is
 * that pool, in a JVM of its own: with {@code apply} as argument after {@link JvmDefaults#apply()}.
 */
public final class JvmDefaultsProbe {
    private JvmDefaultsProbe() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("apply")) {
            JvmDefaults.apply();
        }
        boolean commonPool =
                new CompletableFuture<Void>().defaultExecutor() == ForkJoinPool.commonPool();
        System.out.println(ForkJoinPool.getCommonPoolParallelism() + " " + commonPool);
    }
}
