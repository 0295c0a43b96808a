package dev.fraiseql.observers.core.action;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads the actions use besides the HTTP client's own: one that ends overdue exchanges, and a
 * small pool that resolves host names. They are named daemon threads of their own rather than
 * {@code CompletableFuture}'s default executor, which on a machine with two cores or fewer starts a
 * new thread for every task (the common pool then has a parallelism of 1).
 */
final class ActionThreads {
    /** Ends exchanges past their deadline; cancelled deadlines are removed at once. */
    static final ScheduledExecutorService TIMEOUTS = timeouts();

    /** Resolves host names off the callers' threads; idle threads end after a minute. */
    static final ExecutorService RESOLVER =
            Executors.newCachedThreadPool(daemon("observers-action-resolver-"));

    private ActionThreads() {}

    private static ScheduledExecutorService timeouts() {
        ScheduledThreadPoolExecutor executor =
                new ScheduledThreadPoolExecutor(1, daemon("observers-action-timeouts-"));
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
