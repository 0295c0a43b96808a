package dev.fraiseql.observers.streams.worker;

/**
 * Header names of the records the worker writes to retry topics and the DLQ. Values are UTF-8 text;
 * times are ISO-8601 instants.
 */
public final class JobHeaders {
    /**
     * Why the job was dead-lettered ({@code permanent failure}, {@code gave up after 5 attempts}).
     */
    public static final String DLQ_REASON = "observers.dlq.reason";

    /** The last HTTP (or SMTP) status, when there was one. */
    public static final String LAST_STATUS = "observers.last.status";

    /** The class of the last failure ({@code http_503}, {@code timeout}, ...). */
    public static final String ERROR_CLASS = "observers.error.class";

    /** The start of the receiver's last answer or of the error, at most 512 characters. */
    public static final String RESPONSE_EXCERPT = "observers.response.excerpt";

    /** Attempts made. */
    public static final String ATTEMPTS = "observers.attempts";

    /** When the first attempt failed. */
    public static final String FIRST_FAILURE = "observers.first.failure";

    /** When the last attempt failed. */
    public static final String LAST_FAILURE = "observers.last.failure";

    /** The topic the job was first read from (kept through retries). */
    public static final String ORIGIN_TOPIC = "observers.origin.topic";

    /** The partition the job was first read from. */
    public static final String ORIGIN_PARTITION = "observers.origin.partition";

    /** The offset the job was first read from. */
    public static final String ORIGIN_OFFSET = "observers.origin.offset";

    /** The job id, on every record the worker writes. */
    public static final String JOB_ID = "observers.job.id";

    private JobHeaders() {}
}
