package dev.fraiseql.observers.streams.http;

/**
 * A request that cannot be served, with the status and a message safe to show the client ({@code
 * 404 no entity public.rental/42}).
 */
public final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public HttpError(int status, String message) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an HTTP error status is 400 to 599, was " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }
}
