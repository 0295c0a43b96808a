package dev.fraiseql.observers.schemas.serde;

import dev.fraiseql.observers.schemas.ChangeEvent;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.JobOutcome;
import org.apache.kafka.common.serialization.Serde;

/** The serdes of the records the product writes to its own topics. */
public final class ObserverSerdes {

    private ObserverSerdes() {}

    /** The value serde of {@code observers.events}. */
    public static Serde<ChangeEvent> changeEvent() {
        return new SingleObjectSerde<>(ChangeEvent.class);
    }

    /** The value serde of {@code observers.jobs}, its retry topics and its DLQ. */
    public static Serde<Job> job() {
        return new SingleObjectSerde<>(Job.class);
    }

    /** The value serde of {@code observers.jobs.outcomes}. */
    public static Serde<JobOutcome> jobOutcome() {
        return new SingleObjectSerde<>(JobOutcome.class);
    }
}
