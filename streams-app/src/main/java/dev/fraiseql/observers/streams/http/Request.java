package dev.fraiseql.observers.streams.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request as a mounted {@link Handler} sees it.
 *
 * @param method the method, upper case
 * @param path the decoded path ({@code /entities/public.rental/42})
 * @param query the decoded query parameters (the first value of each name)
 * @param body the request body, at most {@link HttpEndpoint#MAX_BODY_BYTES} bytes
 */
public record Request(String method, String path, Map<String, String> query, byte[] body) {
    public Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }

    /** One query parameter. */
    public Optional<String> param(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** Parses a raw query string ({@code a=1&b=x%20y}); the first value of a name wins. */
    static Map<String, String> parseQuery(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            params.putIfAbsent(decode(name), decode(value));
        }
        return params;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
