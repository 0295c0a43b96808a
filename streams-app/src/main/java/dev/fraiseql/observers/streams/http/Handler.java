package dev.fraiseql.observers.streams.http;

/**
 * Serves the requests under one mounted path ({@code /entities}, {@code /observers}). Throw {@link
 * HttpError} for a client error; any other exception becomes a JSON 500 whose body names no
 * internals (the stack trace goes to the log only).
 */
@FunctionalInterface
public interface Handler {
    Response handle(Request request) throws Exception;
}
