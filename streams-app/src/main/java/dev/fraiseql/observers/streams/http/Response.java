package dev.fraiseql.observers.streams.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP response from a {@link Handler}.
 *
 * @param status the status code
 * @param contentType the {@code Content-Type}
 * @param body the body bytes
 * @param headers extra headers
 */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public Response {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100 to 599, was " + status);
        }
    }

    /** A JSON response of any value Jackson can write (maps, lists, records). */
    public static Response json(int status, Object value) {
        try {
            return new Response(
                    status, "application/json", JSON.writeValueAsBytes(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be written as JSON: " + e, e);
        }
    }

    /** A plain text response. */
    public static Response text(int status, String contentType, String text) {
        return new Response(status, contentType, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** The JSON error body every failure uses: {@code {"status": 404, "error": "..."}}. */
    public static Response error(int status, String message) {
        return json(status, new ErrorBody(status, message));
    }

    /** The same response with one more header. */
    public Response withHeader(String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new Response(status, contentType, body, more);
    }

    /** The body of every error response. */
    public record ErrorBody(int status, String error) {}
}
