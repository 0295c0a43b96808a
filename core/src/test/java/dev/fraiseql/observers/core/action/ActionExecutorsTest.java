package dev.fraiseql.observers.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionExecutorsTest {

    @Test
    void the_executors_own_checks_replace_the_built_in_ones() {
        ActionOptionsValidators validators =
                ActionExecutors.validators(
                        List.of(new WebhookExecutor(Clock.systemUTC()), new LogExecutor()));

        List<String> problems =
                validators
                        .find("webhook")
                        .orElseThrow()
                        .validate(Map.of("url", "https://hooks.example.test/x", "timeout", "soon"));

        assertThat(problems)
                .containsExactly(
                        "webhook.timeout: 'soon' is not a duration; write it like 500ms, 10s, 2m or"
                                + " 1h");
        assertThat(validators.find("log").orElseThrow().validate(Map.of("level", "loud")))
                .containsExactly("log.level: 'loud' is not one of [debug, info, warn]");
        assertThat(validators.types())
                .containsExactly("webhook", "slack", "email", "search", "kafka", "log");
    }
}
