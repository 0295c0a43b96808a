package dev.fraiseql.observers.core.observer;

import dev.fraiseql.observers.core.action.ActionSpec;
import dev.fraiseql.observers.core.observer.condition.Evaluation;
import dev.fraiseql.observers.core.observer.condition.EventContext;
import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Job;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded set of observers, indexed by entity, that turns one change event into its jobs: one
 * {@link Job} per action of every enabled observer that listens to the event's entity and operation
 * and whose condition holds.
 *
 * <p>A condition that reads an unavailable field does not fire and is counted; one that fails at
 * run time is counted and logged with the observer's name (never the row), and matching goes on
 * with the next observer: nothing here throws into the stream thread. Immutable apart from the
 * counts; a reload builds a new set.
 */
public final class ObserverSet {
    private static final Logger LOG = LoggerFactory.getLogger(ObserverSet.class);

    private final List<Observer> observers;
    private final Map<String, List<Observer>> byEntity;
    private final Map<String, ObserverStats> stats;

    /** A set over these observers, with fresh counts. */
    public ObserverSet(List<Observer> observers) {
        this(observers, Map.of());
    }

    private ObserverSet(List<Observer> observers, Map<String, ObserverStats> previous) {
        this.observers = List.copyOf(observers);
        Map<String, List<Observer>> index = new HashMap<>();
        Map<String, ObserverStats> counts = new LinkedHashMap<>();
        for (Observer observer : this.observers) {
            index.computeIfAbsent(observer.entity(), e -> new ArrayList<>()).add(observer);
            counts.put(
                    observer.name(), previous.getOrDefault(observer.name(), new ObserverStats()));
        }
        index.replaceAll((entity, list) -> List.copyOf(list));
        this.byEntity = Collections.unmodifiableMap(index);
        this.stats = Collections.unmodifiableMap(counts);
    }

    /** An empty set. */
    public static ObserverSet empty() {
        return new ObserverSet(List.of());
    }

    /**
     * A set over new observers that keeps the counts of observers with the same name, so a reload
     * does not reset what {@code GET /observers} shows.
     */
    public ObserverSet replacedBy(List<Observer> next) {
        return new ObserverSet(next, stats);
    }

    /** The observers, in file order. */
    public List<Observer> observers() {
        return observers;
    }

    /** The counts of an observer by name; empty counts for an unknown name. */
    public ObserverStats stats(String name) {
        ObserverStats counts = stats.get(name);
        return counts == null ? new ObserverStats() : counts;
    }

    /** The jobs of one event; empty when no observer matches. */
    public List<Job> jobsFor(ChangeEvent event, long nowMs) {
        List<Observer> candidates = byEntity.getOrDefault(event.getEntity(), List.of());
        if (candidates.isEmpty()) {
            return List.of();
        }
        EventContext context = null;
        List<Job> jobs = new ArrayList<>(2);
        for (Observer observer : candidates) {
            if (!observer.listensTo(event.getEntity(), event.getOp())) {
                continue;
            }
            if (context == null) {
                try {
                    context = EventContext.of(event);
                } catch (RuntimeException e) {
                    countUnreadable(candidates, event, e);
                    return List.of();
                }
            }
            if (decide(observer, context, event)) {
                addJobs(jobs, observer, event, nowMs);
            }
        }
        return jobs;
    }

    private boolean decide(Observer observer, EventContext context, ChangeEvent event) {
        ObserverStats counts = stats(observer.name());
        counts.countEvaluated();
        Evaluation evaluation;
        try {
            evaluation = observer.evaluate(context);
        } catch (RuntimeException e) {
            // Conditions return their errors; this guards the stream thread against the unexpected.
            evaluation = new Evaluation(Evaluation.Verdict.ERROR, String.valueOf(e));
        }
        switch (evaluation.verdict()) {
            case MATCH -> counts.countMatched();
            case UNAVAILABLE -> {
                counts.countUnavailable();
                LOG.debug(
                        "observer {}: event {} not matched, field {} is unavailable",
                        observer.name(),
                        event.getEventId(),
                        evaluation.detail());
            }
            case ERROR -> {
                long errors = counts.countError(evaluation.detail());
                LOG.warn(
                        "observer {}: condition failed on event {} ({} errors so far), the event is"
                                + " not matched by this observer: {}",
                        observer.name(),
                        event.getEventId(),
                        errors,
                        evaluation.detail());
            }
            case NO_MATCH -> {}
        }
        return evaluation.matched();
    }

    private void countUnreadable(List<Observer> candidates, ChangeEvent event, RuntimeException e) {
        for (Observer observer : candidates) {
            if (observer.listensTo(event.getEntity(), event.getOp())) {
                stats(observer.name()).countError("event values cannot be read: " + e.getMessage());
            }
        }
        LOG.warn(
                "event {} of {}: its values cannot be read, no observer is tested: {}",
                event.getEventId(),
                event.getEntity(),
                e.toString());
    }

    private static void addJobs(List<Job> jobs, Observer observer, ChangeEvent event, long nowMs) {
        List<ActionSpec> actions = observer.actions();
        for (int index = 0; index < actions.size(); index++) {
            jobs.add(
                    Job.newBuilder()
                            .setJobId(JobIds.of(event.getEventId(), observer.name(), index))
                            .setObserver(observer.name())
                            .setActionIndex(index)
                            .setActionType(actions.get(index).type())
                            .setEvent(event)
                            .setAttempt(1)
                            .setCreatedAtMs(nowMs)
                            .build());
        }
    }
}
