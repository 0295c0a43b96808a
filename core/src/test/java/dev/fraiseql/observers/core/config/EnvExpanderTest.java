package dev.fraiseql.observers.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvExpanderTest {
    private final EnvExpander expander =
            EnvExpander.of(Map.of("HOOK_SECRET", "whsec_abc", "EMPTY", ""));

    @Test
    void setVariableIsSubstituted() {
        EnvExpander.Result result = expander.expand("secret: ${env:HOOK_SECRET}");

        assertThat(result.text()).isEqualTo("secret: whsec_abc");
        assertThat(result.unsetNames()).isEmpty();
    }

    @Test
    void unsetVariableWithDefaultTakesTheDefault() {
        EnvExpander.Result result =
                expander.expand("url: ${env:HOOK_URL:-http://127.0.0.1:8080/a}");

        assertThat(result.text()).isEqualTo("url: http://127.0.0.1:8080/a");
        assertThat(result.unsetNames()).isEmpty();
    }

    @Test
    void setButEmptyVariableWinsOverTheDefault() {
        assertThat(expander.expand("x${env:EMPTY:-fallback}x").text()).isEqualTo("xx");
    }

    @Test
    void unsetVariableWithoutDefaultIsReportedAndLeftInPlace() {
        EnvExpander.Result result = expander.expand("a: ${env:NOPE} b: ${env:ALSO_NOPE}");

        assertThat(result.text()).isEqualTo("a: ${env:NOPE} b: ${env:ALSO_NOPE}");
        assertThat(result.unsetNames()).containsExactly("NOPE", "ALSO_NOPE");
    }

    @Test
    void dollarSignsInValuesAreKeptLiterally() {
        EnvExpander dollars = EnvExpander.of(Map.of("PASS", "p$1\\x"));

        assertThat(dollars.expand("${env:PASS}").text()).isEqualTo("p$1\\x");
    }

    @Test
    void problemDescribesFileLinePathValueAndFix() {
        Problem problem =
                new Problem(
                        "observers/orders.yaml",
                        7,
                        "observers[2].when",
                        "statuz",
                        "unknown field",
                        "did you mean 'status'?");

        assertThat(problem.describe())
                .isEqualTo(
                        "observers/orders.yaml:7: observers[2].when: unknown field (value:"
                                + " 'statuz'); did you mean 'status'?");
    }
}
