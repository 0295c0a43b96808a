package dev.fraiseql.observers.core.config.app;

import java.util.Objects;

/**
 * Where the HTTP endpoint listens and how many requests it serves at once.
 *
 * @param host the bind address ({@code 127.0.0.1} by default)
 * @param port the port, 0 for a free one
 * @param threads the request threads
 */
public record HttpSettings(String host, int port, int threads) {
    public HttpSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
    }
}
