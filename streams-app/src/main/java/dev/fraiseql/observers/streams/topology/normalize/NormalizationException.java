package dev.fraiseql.observers.streams.topology.normalize;

/** A Debezium record that cannot be turned into a change event; the message names the field. */
public class NormalizationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure with a message naming the record part and how to fix it. */
    public NormalizationException(String message) {
        super(message);
    }

    /** A failure caused by a lower-level error. */
    public NormalizationException(String message, Throwable cause) {
        super(message, cause);
    }
}
