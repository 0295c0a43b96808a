package dev.fraiseql.observers.core.action;

import dev.fraiseql.observers.core.metrics.ObserverMetric;
import dev.fraiseql.observers.core.metrics.ObserverMetrics;
import dev.fraiseql.observers.core.metrics.ObserverTag;
import dev.fraiseql.observers.schemas.Job;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs actions through their executors, protecting receivers.
 *
 * <ul>
 *   <li>Concurrency limits per action type and per target host: a job over a limit waits in a queue
 *       (no thread is blocked) and starts when a running one of the same type or host finishes.
 *   <li>A circuit breaker per target host: when most recent attempts to a host failed in a
 *       retriable way, further jobs for that host are not tried for a while; they come back as
 *       {@link ActionOutcome.Kind#DEFERRED}, which the worker reschedules without spending an
 *       attempt. Permanent failures (a 4xx) do not open it: the host answered.
 * </ul>
 */
public final class ActionRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ActionRunner.class);

    private final Map<String, ActionExecutor> executors;
    private final Limits limits;
    private final CircuitBreakerRegistry breakers;
    private final ObserverMetrics metrics;
    private final java.util.Set<String> gaugedHosts =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Object lock = new Object();
    private final Map<String, Integer> runningByType = new HashMap<>();
    private final Map<String, Integer> runningByHost = new HashMap<>();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();

    /**
     * Concurrency limits and circuit breaker settings.
     *
     * @param perType attempts of one action type running at once
     * @param perHost attempts to one host running at once
     * @param breakerFailureRate the percentage of retriable failures that opens a host's breaker
     * @param breakerMinimumCalls attempts to a host before its failure rate is judged
     * @param breakerOpenFor how long an open breaker defers jobs before letting a few through
     */
    public record Limits(
            int perType,
            int perHost,
            float breakerFailureRate,
            int breakerMinimumCalls,
            Duration breakerOpenFor) {

        /** 64 per type, 8 per host; a breaker opens at 50% failures over at least 20 attempts. */
        public static final Limits DEFAULT = new Limits(64, 8, 50f, 20, Duration.ofSeconds(30));

        /**
         * The default breaker with {@code concurrency} attempts per host, and per type the default
         * or {@code concurrency} if that is more.
         */
        public static Limits withConcurrency(int concurrency) {
            return new Limits(
                    Math.max(DEFAULT.perType(), concurrency),
                    concurrency,
                    DEFAULT.breakerFailureRate(),
                    DEFAULT.breakerMinimumCalls(),
                    DEFAULT.breakerOpenFor());
        }

        public Limits {
            Objects.requireNonNull(breakerOpenFor, "breakerOpenFor");
            if (perType < 1 || perHost < 1) {
                throw new IllegalArgumentException("concurrency limits must be at least 1");
            }
            if (breakerFailureRate <= 0 || breakerFailureRate > 100) {
                throw new IllegalArgumentException("breakerFailureRate must be in (0, 100]");
            }
            if (breakerMinimumCalls < 1) {
                throw new IllegalArgumentException("breakerMinimumCalls must be at least 1");
            }
        }
    }

    private record Pending(
            Job job,
            ActionSpec spec,
            ActionExecutor executor,
            String host,
            CompletableFuture<ActionOutcome> result) {}

    /** A runner over the given executors (one per type), with metrics kept in memory. */
    public ActionRunner(List<ActionExecutor> executors, Limits limits) {
        this(executors, limits, ObserverMetrics.inMemory());
    }

    /**
     * A runner over the given executors (one per type) that reports each receiver host's breaker as
     * {@code fraiseql.observer.circuit.open}.
     */
    public ActionRunner(List<ActionExecutor> executors, Limits limits, ObserverMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        Map<String, ActionExecutor> byType = new HashMap<>();
        for (ActionExecutor executor : executors) {
            if (byType.put(executor.type(), executor) != null) {
                throw new IllegalArgumentException(
                        "two executors for action type " + executor.type());
            }
        }
        this.executors = Map.copyOf(byType);
        this.limits = limits;
        this.breakers =
                CircuitBreakerRegistry.of(
                        CircuitBreakerConfig.custom()
                                .failureRateThreshold(limits.breakerFailureRate())
                                .minimumNumberOfCalls(limits.breakerMinimumCalls())
                                .slidingWindowSize(Math.max(limits.breakerMinimumCalls(), 20))
                                .waitDurationInOpenState(limits.breakerOpenFor())
                                .permittedNumberOfCallsInHalfOpenState(3)
                                .build());
    }

    /** The executor of an action type, if there is one. */
    public Optional<ActionExecutor> executor(String type) {
        return Optional.ofNullable(executors.get(type));
    }

    /** How long an open breaker defers jobs. */
    public Duration breakerOpenFor() {
        return limits.breakerOpenFor();
    }

    /** Runs one attempt of a job's action; the stage always completes normally. */
    public CompletionStage<ActionOutcome> run(Job job, ActionSpec spec) {
        ActionExecutor executor = executors.get(spec.type());
        if (executor == null) {
            return CompletableFuture.completedFuture(
                    ActionOutcome.permanent(
                            null, "unknown-action", "no executor for action type " + spec.type()));
        }
        String host = executor.targetHost(spec).orElse(null);
        Pending pending = new Pending(job, spec, executor, host, new CompletableFuture<>());
        synchronized (lock) {
            waiting.add(pending);
        }
        startWhatFits();
        return pending.result();
    }

    /** Jobs waiting for a concurrency slot. */
    public int waiting() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    private void startWhatFits() {
        List<Pending> toStart = new java.util.ArrayList<>();
        synchronized (lock) {
            Iterator<Pending> it = waiting.iterator();
            while (it.hasNext()) {
                Pending next = it.next();
                String type = next.spec().type();
                boolean typeFree = runningByType.getOrDefault(type, 0) < limits.perType();
                boolean hostFree =
                        next.host() == null
                                || runningByHost.getOrDefault(next.host(), 0) < limits.perHost();
                if (typeFree && hostFree) {
                    it.remove();
                    runningByType.merge(type, 1, Integer::sum);
                    if (next.host() != null) {
                        runningByHost.merge(next.host(), 1, Integer::sum);
                    }
                    toStart.add(next);
                }
            }
        }
        toStart.forEach(this::start);
    }

    private void start(Pending pending) {
        CircuitBreaker breaker = pending.host() == null ? null : breaker(pending.host());
        if (breaker != null && !breaker.tryAcquirePermission()) {
            finish(pending, ActionOutcome.deferred("circuit breaker open for " + pending.host()));
            return;
        }

        long started = System.nanoTime();
        CompletionStage<ActionOutcome> attempt;
        try {
            attempt = pending.executor().execute(pending.job(), pending.spec());
        } catch (RuntimeException e) {
            // An executor must not throw; if one does, the job still gets an outcome.
            log.error("action {} threw instead of returning an outcome", pending.spec().type(), e);
            attempt =
                    CompletableFuture.completedFuture(
                            ActionOutcome.permanent(null, "error", e.toString()));
        }
        attempt.whenComplete(
                (outcome, error) -> {
                    ActionOutcome result =
                            error != null
                                    ? ActionOutcome.retriable(null, "error", error.toString())
                                    : outcome;
                    if (breaker != null) {
                        record(breaker, result, System.nanoTime() - started);
                    }
                    finish(pending, result);
                });
    }

    private CircuitBreaker breaker(String hostKey) {
        CircuitBreaker breaker = breakers.circuitBreaker(hostKey);
        // The gauge names the host without its port; it reads 1 while any breaker of the host is
        // open.
        String host =
                hostKey.contains(":") ? hostKey.substring(0, hostKey.lastIndexOf(':')) : hostKey;
        if (gaugedHosts.add(host)) {
            try {
                metrics.gauge(
                        ObserverMetric.CIRCUIT_OPEN,
                        () -> openBreakers(host),
                        ObserverTag.HOST.is(host));
            } catch (IllegalArgumentException e) {
                log.debug("no circuit gauge for host {}: {}", host, e.getMessage());
            }
        }
        return breaker;
    }

    private int openBreakers(String host) {
        return breakers.getAllCircuitBreakers().stream()
                        .anyMatch(
                                b ->
                                        b.getName().startsWith(host + ":")
                                                && b.getState() == CircuitBreaker.State.OPEN)
                ? 1
                : 0;
    }

    private static void record(CircuitBreaker breaker, ActionOutcome outcome, long nanos) {
        if (outcome.kind() == ActionOutcome.Kind.RETRIABLE) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, new HostFailure(outcome.describe()));
        } else {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void finish(Pending pending, ActionOutcome outcome) {
        synchronized (lock) {
            runningByType.merge(pending.spec().type(), -1, Integer::sum);
            if (pending.host() != null) {
                runningByHost.merge(pending.host(), -1, Integer::sum);
            }
        }
        pending.result().complete(outcome);
        startWhatFits();
    }

    @Override
    public void close() {
        for (ActionExecutor executor : executors.values()) {
            try {
                executor.close();
            } catch (RuntimeException e) {
                log.warn(
                        "closing the {} action failed; continuing to close the others",
                        executor.type(),
                        e);
            }
        }
    }

    /** The failure recorded by a host's breaker (no stack trace: it is a count, not a crash). */
    private static final class HostFailure extends RuntimeException {
        HostFailure(String message) {
            super(message, null, false, false);
        }
    }
}
