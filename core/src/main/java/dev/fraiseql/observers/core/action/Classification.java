package dev.fraiseql.observers.core.action;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Decides which failures are worth another attempt.
 *
 * <p>By default timeouts, connection errors, 408, 429 and every 5xx are retriable; every other
 * non-2xx status is permanent, because repeating a request the receiver rejected as wrong cannot
 * make it right. An action can move statuses either way with the options {@code retry_on_status}
 * and {@code fail_on_status}, and turn off retries on timeouts or connection errors with {@code
 * retry_on_timeout: false} and {@code retry_on_connection_error: false}.
 *
 * @param retryStatuses statuses that are retriable whatever the default says
 * @param failStatuses statuses that are permanent whatever the default says
 * @param retryTimeouts whether a timeout is retriable
 * @param retryConnectionErrors whether a refused or reset connection is retriable
 */
public record Classification(
        Set<Integer> retryStatuses,
        Set<Integer> failStatuses,
        boolean retryTimeouts,
        boolean retryConnectionErrors) {

    /** The defaults described above. */
    public static final Classification DEFAULT = new Classification(Set.of(), Set.of(), true, true);

    public Classification {
        retryStatuses = Set.copyOf(Objects.requireNonNull(retryStatuses, "retryStatuses"));
        failStatuses = Set.copyOf(Objects.requireNonNull(failStatuses, "failStatuses"));
        for (Integer status : retryStatuses) {
            if (failStatuses.contains(status)) {
                throw new IllegalArgumentException(
                        "status " + status + " is in both retry_on_status and fail_on_status");
            }
        }
    }

    /** Reads the overrides from an action's options. */
    public static Classification read(OptionReader reader) {
        Set<Integer> retry = reader.statuses("retry_on_status");
        Set<Integer> fail = reader.statuses("fail_on_status");
        boolean timeouts = reader.bool("retry_on_timeout", true);
        boolean connections = reader.bool("retry_on_connection_error", true);
        for (Integer status : retry) {
            if (fail.contains(status)) {
                reader.problem(
                        "retry_on_status",
                        "status " + status + " is also in fail_on_status; keep it in one of them");
                return DEFAULT;
            }
        }
        return new Classification(retry, fail, timeouts, connections);
    }

    /** True when a request that got this status should be tried again. */
    public boolean isRetriable(int status) {
        if (retryStatuses.contains(status)) {
            return true;
        }
        if (failStatuses.contains(status)) {
            return false;
        }
        return status == 408 || status == 429 || status >= 500;
    }

    /** The outcome of an answer with this status and body start (2xx is a success). */
    public ActionOutcome ofStatus(int status, String excerpt, Duration retryAfter) {
        if (status >= 200 && status < 300 && !failStatuses.contains(status)) {
            return ActionOutcome.success(status);
        }
        String errorClass = "http_" + status;
        if (isRetriable(status)) {
            return ActionOutcome.retriable(status, errorClass, excerpt).withRetryAfter(retryAfter);
        }
        return ActionOutcome.permanent(status, errorClass, excerpt);
    }

    /** The outcome of an exception raised while talking to the receiver. */
    public ActionOutcome ofException(Throwable error) {
        Throwable cause = unwrap(error);
        String message = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        if (cause instanceof HttpConnectTimeoutException) {
            return connectionOutcome("connection", message);
        }
        if (cause instanceof HttpTimeoutException
                || cause instanceof TimeoutException
                || cause instanceof java.net.SocketTimeoutException) {
            return retryTimeouts
                    ? ActionOutcome.retriable(null, "timeout", message)
                    : ActionOutcome.permanent(null, "timeout", message);
        }
        if (cause instanceof java.io.IOException && isDropped(cause)) {
            return connectionOutcome(
                    "connection",
                    "the receiver closed or reset the connection without answering ("
                            + message
                            + ")");
        }
        if (cause instanceof ConnectException
                || cause instanceof ClosedChannelException
                || cause instanceof java.net.UnknownHostException
                || cause instanceof java.io.IOException) {
            return connectionOutcome("connection", message);
        }
        return ActionOutcome.permanent(null, "error", message);
    }

    private ActionOutcome connectionOutcome(String errorClass, String message) {
        return retryConnectionErrors
                ? ActionOutcome.retriable(null, errorClass, message)
                : ActionOutcome.permanent(null, errorClass, message);
    }

    /**
     * True when the receiver dropped the connection after taking the request: the JDK client
     * reports a reset as "Connection reset" and a close before any answer as "header parser
     * received no bytes", neither of which says to a reader what the receiver did.
     */
    private static boolean isDropped(Throwable cause) {
        String text = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return text.contains("connection reset")
                || text.contains("received no bytes")
                || text.contains("broken pipe");
    }

    /** Strips the wrappers that futures put around the real cause. */
    public static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
