package dev.fraiseql.observers.streams.topology;

/**
 * Headers added to a record of {@code <prefix>.events.dlq}. The record keeps the source record's
 * key bytes, value bytes and headers; these say where it came from and why it failed.
 */
public final class DeadLetterHeaders {
    /** The topic the record was read from. */
    public static final String SOURCE_TOPIC = "observers.source.topic";

    /** Its partition, decimal text. */
    public static final String SOURCE_PARTITION = "observers.source.partition";

    /** Its offset, decimal text. */
    public static final String SOURCE_OFFSET = "observers.source.offset";

    /**
     * Where it failed: {@code size} (over 1 MiB), {@code read} (not JSON), {@code normalize} (not a
     * readable Debezium change) or {@code cache} (the entity cache step).
     */
    public static final String STAGE = "observers.error.stage";

    /** The Java class of the error. */
    public static final String ERROR_CLASS = "observers.error.class";

    /** The error message (at most 1000 characters; never the record payload). */
    public static final String ERROR_MESSAGE = "observers.error.message";

    /**
     * Set when the value was cut: the source value's size in bytes, decimal text. The value then
     * holds only the head of the source record, which is still whole at the source offset.
     */
    public static final String ORIGINAL_SIZE = "observers.source.size";

    private DeadLetterHeaders() {}
}
