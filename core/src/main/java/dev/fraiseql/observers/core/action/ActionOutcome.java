package dev.fraiseql.observers.core.action;

import java.time.Duration;
import java.util.Objects;

/**
 * What one attempt of an action came to.
 *
 * @param kind success, a failure worth retrying, a failure that never succeeds, or not tried at all
 * @param status the receiver's HTTP (or SMTP) status when there was one, else {@code null}
 * @param errorClass a short class of the failure ({@code http_503}, {@code timeout}, {@code
 *     connection}, {@code method-changing redirect}, ...), {@code null} on success
 * @param excerpt the start of the receiver's answer or of the error message, at most {@link
 *     #MAX_EXCERPT} characters
 * @param retryAfter how long the receiver asked us to wait ({@code Retry-After}), or {@code null}
 */
public record ActionOutcome(
        Kind kind, Integer status, String errorClass, String excerpt, Duration retryAfter) {

    /** The longest response excerpt kept in an outcome, a DLQ header or a log line. */
    public static final int MAX_EXCERPT = 512;

    /** The kinds of outcome the worker acts on. */
    public enum Kind {
        /** The action took effect. */
        SUCCESS,
        /** The action failed in a way a later attempt may fix (timeouts, 5xx, 429, ...). */
        RETRIABLE,
        /** The action failed in a way no retry can fix (most 4xx, a bad payload). */
        PERMANENT,
        /** The action was not tried (the target's circuit breaker is open): no attempt spent. */
        DEFERRED
    }

    public ActionOutcome {
        Objects.requireNonNull(kind, "kind");
        excerpt = bound(excerpt);
        if (retryAfter != null && retryAfter.isNegative()) {
            retryAfter = Duration.ZERO;
        }
    }

    /** A success, with the receiver's status when there is one. */
    public static ActionOutcome success(Integer status) {
        return new ActionOutcome(Kind.SUCCESS, status, null, null, null);
    }

    /** A retriable failure. */
    public static ActionOutcome retriable(Integer status, String errorClass, String excerpt) {
        return new ActionOutcome(Kind.RETRIABLE, status, errorClass, excerpt, null);
    }

    /** A permanent failure. */
    public static ActionOutcome permanent(Integer status, String errorClass, String excerpt) {
        return new ActionOutcome(Kind.PERMANENT, status, errorClass, excerpt, null);
    }

    /** Not tried, because the target is known to be failing. */
    public static ActionOutcome deferred(String reason) {
        return new ActionOutcome(Kind.DEFERRED, null, "circuit-open", reason, null);
    }

    /** This outcome with the receiver's {@code Retry-After}. */
    public ActionOutcome withRetryAfter(Duration delay) {
        return new ActionOutcome(kind, status, errorClass, excerpt, delay);
    }

    /** True for {@link Kind#SUCCESS}. */
    public boolean isSuccess() {
        return kind == Kind.SUCCESS;
    }

    /** {@code errorClass: excerpt} for logs and the job's {@code lastError}, bounded. */
    public String describe() {
        if (kind == Kind.SUCCESS) {
            return "success";
        }
        String text =
                excerpt == null || excerpt.isBlank() ? errorClass : errorClass + ": " + excerpt;
        return bound(text);
    }

    /** Cuts a text to {@link #MAX_EXCERPT} characters, marking the cut. */
    public static String bound(String text) {
        if (text == null || text.length() <= MAX_EXCERPT) {
            return text;
        }
        return text.substring(0, MAX_EXCERPT - 3) + "...";
    }
}
