package dev.fraiseql.observers.core.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    @Test
    void signs_id_timestamp_and_body_like_the_standard_webhooks_reference_vector() {
        // The test vector published with the Standard Webhooks reference libraries.
        WebhookSigner signer = WebhookSigner.forSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        String signature =
                signer.sign(
                        "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        1614265330L,
                        "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void verifies_one_of_several_signatures_and_rejects_a_changed_body() {
        WebhookSigner signer = WebhookSigner.forSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String good = signer.sign("job-1", 10L, body);

        assertThat(signer.verify("job-1", 10L, body, "v1,bm90LWl0 " + good)).isTrue();
        assertThat(signer.verify("job-1", 10L, "{ }".getBytes(StandardCharsets.UTF_8), good))
                .isFalse();
        assertThat(signer.verify("job-1", 11L, body, good)).isFalse();
    }

    @Test
    void a_secret_without_the_prefix_is_refused_without_echoing_it() {
        assertThatThrownBy(() -> WebhookSigner.forSecret("hunter2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whsec_")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> WebhookSigner.forSecret("whsec_***"))
                .hasMessageNotContaining("***");
    }
}
