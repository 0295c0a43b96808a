package dev.fraiseql.observers.streams.worker;

import dev.fraiseql.observers.core.action.ActionOutcome;
import dev.fraiseql.observers.core.action.ActionSpec;
import dev.fraiseql.observers.schemas.Job;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The jobs taken from one input partition and not yet committed, in offset order. Jobs run at the
 * same time and finish in any order; only the finished prefix is committed, so the committed offset
 * never passes a job still running, and each input's outputs are written exactly once with its
 * offset.
 */
final class PartitionWork {
    private final TopicPartition partition;
    private final TreeMap<Long, Slot> slots = new TreeMap<>();
    private Instant waitUntil;

    /** One taken record: running, or finished with what to write. */
    static final class Slot {
        final long offset;
        final OutcomeRouter.Input input;
        final Job job;
        final ActionSpec spec;
        final Instant startedAt;
        private volatile ActionOutcome outcome;
        private volatile Instant finishedAt;
        private volatile OutcomeRouter.Routed routed;
        private final java.util.concurrent.atomic.AtomicBoolean released =
                new java.util.concurrent.atomic.AtomicBoolean();

        Slot(OutcomeRouter.Input input, Job job, ActionSpec spec, Instant startedAt) {
            this.offset = input.offset();
            this.input = input;
            this.job = job;
            this.spec = spec;
            this.startedAt = startedAt;
        }

        /** A slot finished at once, with its records already decided (an unreadable record). */
        static Slot decided(OutcomeRouter.Input input, OutcomeRouter.Routed routed, Instant now) {
            Slot slot = new Slot(input, null, null, now);
            slot.routed = routed;
            slot.finishedAt = now;
            slot.released.set(true);
            return slot;
        }

        void finish(ActionOutcome result, Instant at) {
            this.finishedAt = at;
            this.outcome = result;
        }

        /**
         * Gives back the slot's share of the in-flight count; true only the first time, so a job
         * that finishes after its partition was dropped is not counted twice.
         */
        boolean release() {
            return released.compareAndSet(false, true);
        }

        boolean isFinished() {
            return finishedAt != null && (outcome != null || routed != null);
        }

        ActionOutcome outcome() {
            return outcome;
        }

        Instant finishedAt() {
            return finishedAt;
        }

        OutcomeRouter.Routed routed() {
            return routed;
        }

        void routed(OutcomeRouter.Routed value) {
            this.routed = value;
        }
    }

    PartitionWork(TopicPartition partition) {
        this.partition = partition;
    }

    TopicPartition partition() {
        return partition;
    }

    void add(Slot slot) {
        slots.put(slot.offset, slot);
    }

    int size() {
        return slots.size();
    }

    /** Releases the in-flight share of every slot still running; returns how many. */
    int releaseRunning() {
        int released = 0;
        for (Slot slot : slots.values()) {
            if (slot.release()) {
                released++;
            }
        }
        return released;
    }

    /** The finished slots at the head, in offset order (not removed). */
    List<Slot> finishedPrefix() {
        List<Slot> prefix = new ArrayList<>();
        for (Slot slot : slots.values()) {
            if (!slot.isFinished()) {
                break;
            }
            prefix.add(slot);
        }
        return prefix;
    }

    /** Removes slots up to and including an offset, after their commit. */
    void removeThrough(long offset) {
        Iterator<Long> it = slots.keySet().iterator();
        while (it.hasNext() && it.next() <= offset) {
            it.remove();
        }
    }

    /** The lowest offset not yet committed, if any slot is held. */
    Long firstOffset() {
        return slots.isEmpty() ? null : slots.firstKey();
    }

    /** Forgets every slot (after an aborted transaction or a lost partition). */
    void clear() {
        slots.clear();
        waitUntil = null;
    }

    /** Not to fetch from this partition before this time (its head record is not due). */
    void waitUntil(Instant due) {
        this.waitUntil = due;
    }

    /** True while the head record is not due; clears the wait once it is. */
    boolean isWaiting(Instant now) {
        if (waitUntil != null && !now.isBefore(waitUntil)) {
            waitUntil = null;
        }
        return waitUntil != null;
    }

    Instant waitingUntil() {
        return waitUntil;
    }
}
