package dev.fraiseql.observers.ops.demo;

/**
 * What a demo workload did to the database and what the product should make of it: the row changes
 * it committed, the jobs its observers should create, and how many of those end delivered or
 * dead-lettered, with the retries on the way.
 */
record Expectation(long changes, long jobs, long delivered, long retried, long deadLettered) {
    Expectation {
        if (changes < 0 || jobs < 0 || delivered < 0 || retried < 0 || deadLettered < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        if (delivered + deadLettered != jobs) {
            throw new IllegalArgumentException(
                    "every job ends delivered or dead-lettered: "
                            + delivered
                            + " + "
                            + deadLettered
                            + " != "
                            + jobs);
        }
    }

    static Expectation none() {
        return new Expectation(0, 0, 0, 0, 0);
    }

    Expectation plus(Expectation other) {
        return new Expectation(
                changes + other.changes,
                jobs + other.jobs,
                delivered + other.delivered,
                retried + other.retried,
                deadLettered + other.deadLettered);
    }
}
