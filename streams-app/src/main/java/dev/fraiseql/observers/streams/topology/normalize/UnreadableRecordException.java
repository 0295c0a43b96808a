package dev.fraiseql.observers.streams.topology.normalize;

/** A record whose key or value bytes are not JSON at all (the "read" stage of the DLQ headers). */
public final class UnreadableRecordException extends NormalizationException {
    private static final long serialVersionUID = 1L;

    /** A parse failure. */
    public UnreadableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
