package dev.fraiseql.observers.streams.topology.match;

import dev.fraiseql.observers.core.metrics.ObserverMetric;
import dev.fraiseql.observers.core.metrics.ObserverMetrics;
import dev.fraiseql.observers.core.metrics.ObserverTag;
import dev.fraiseql.observers.core.observer.ObserverSet;
import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.serde.ObserverSerdes;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The matching step of the topology: every change event is tested against the observers of its
 * entity, and each match writes one {@link Job} per action to {@code <prefix>.jobs}, keyed like the
 * event (entity and primary key), so all jobs of one row stay in order on one partition.
 *
 * <p>It attaches to the events stream without a key change, so it runs in the same sub-topology and
 * task as the entity cache, and under {@code exactly_once_v2} its jobs are written in the same
 * transaction as the event:
 *
 * <pre>{@code
 * ObserversTopology.builder(sources)
 *         .onEvents(new ObserverMatchStep(registry, prefix, Clock.systemUTC()))
 *         .build();
 * }</pre>
 *
 * The observer set is read from the supplier for every event, so a reload takes effect on the next
 * event. A condition that fails is counted by the set and never stops the stream thread.
 */
public final class ObserverMatchStep implements Consumer<KStream<String, ChangeEvent>> {
    private final Supplier<ObserverSet> observers;
    private final String jobsTopic;
    private final Clock clock;
    private final ObserverMetrics metrics;
    private final Serde<Job> jobSerde;

    /** A step writing to {@code <prefix>.jobs}, counting in a private registry. */
    public ObserverMatchStep(Supplier<ObserverSet> observers, String prefix, Clock clock) {
        this(observers, prefix, clock, ObserverMetrics.inMemory(), ObserverSerdes.job());
    }

    /**
     * A step counting {@code fraiseql_observer_job_queued_total} by action type in {@code metrics},
     * writing with the given job serde.
     */
    public ObserverMatchStep(
            Supplier<ObserverSet> observers,
            String prefix,
            Clock clock,
            ObserverMetrics metrics,
            Serde<Job> jobSerde) {
        this.observers = Objects.requireNonNull(observers, "observers");
        this.jobsTopic = jobsTopic(Objects.requireNonNull(prefix, "prefix"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.jobSerde = Objects.requireNonNull(jobSerde, "jobSerde");
    }

    /** The jobs topic for an application prefix. */
    public static String jobsTopic(String prefix) {
        return prefix + ".jobs";
    }

    @Override
    public void accept(KStream<String, ChangeEvent> events) {
        events.flatMapValues(this::jobsFor, Named.as("match-observers"))
                .to(jobsTopic, Produced.with(Serdes.String(), jobSerde).withName("jobs"));
    }

    private List<Job> jobsFor(ChangeEvent event) {
        if (event == null) {
            return List.of();
        }
        List<Job> jobs = observers.get().jobsFor(event, clock.millis());
        for (Job job : jobs) {
            metrics.increment(
                    ObserverMetric.JOB_QUEUED, ObserverTag.ACTION_TYPE.is(job.getActionType()));
        }
        return jobs;
    }
}
