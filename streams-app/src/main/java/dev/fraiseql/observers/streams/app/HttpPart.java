package dev.fraiseql.observers.streams.app;

import dev.fraiseql.observers.core.config.app.HttpSettings;
import dev.fraiseql.observers.streams.http.Health;
import dev.fraiseql.observers.streams.http.HttpEndpoint;
import java.time.Duration;

/** The HTTP endpoint as a part of the application. */
final class HttpPart implements Part {
    private final HttpEndpoint endpoint;
    private final HttpSettings settings;
    private volatile boolean listening;

    HttpPart(HttpEndpoint endpoint, HttpSettings settings) {
        this.endpoint = endpoint;
        this.settings = settings;
    }

    @Override
    public String name() {
        return PartKind.HTTP.key();
    }

    @Override
    public void start() throws Exception {
        endpoint.start();
        listening = true;
    }

    @Override
    public Health health() {
        return listening
                ? Health.ready("LISTENING")
                : Health.notReady("NOT_LISTENING", "not bound to " + settings.host());
    }

    @Override
    public void close(Duration timeout) {
        listening = false;
        // Requests in flight get at most a second: probes and scrapes are short.
        endpoint.close(
                timeout.compareTo(Duration.ofSeconds(1)) < 0 ? timeout : Duration.ofSeconds(1));
    }
}
