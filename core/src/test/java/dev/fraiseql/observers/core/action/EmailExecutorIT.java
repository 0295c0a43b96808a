package dev.fraiseql.observers.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.fraiseql.observers.core.retry.RetryPolicy;
import dev.fraiseql.observers.testing.SampleJobs;
import jakarta.mail.internet.MimeMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against GreenMail, a real SMTP server on loopback (it offers no STARTTLS). */
class EmailExecutorIT {
    @RegisterExtension
    static final GreenMailExtension SMTP =
            new GreenMailExtension(
                    new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

    private final EmailExecutor executor = new EmailExecutor(2);

    @AfterEach
    void stop() {
        executor.close();
    }

    private ActionSpec spec(String starttls) {
        Map<String, Object> options = new HashMap<>();
        options.put("smtp_host", "127.0.0.1");
        options.put("smtp_port", SMTP.getSmtp().getPort());
        options.put("starttls", starttls);
        options.put("from", "observers@example.test");
        options.put("to", List.of("desk@example.test", "owner@example.test"));
        options.put("subject", "Rental {{key.rental_id}} returned");
        options.put("body", "Returned at {{after.return_date}}, paid {{after.amount}}.");
        return new ActionSpec("email", options, RetryPolicy.DEFAULT);
    }

    @Test
    void sends_the_rendered_message_to_every_recipient_with_the_job_id_as_message_id()
            throws Exception {
        ActionOutcome outcome =
                executor.execute(SampleJobs.rentalReturned("job-9", 42), spec("optional"))
                        .toCompletableFuture()
                        .get(20, TimeUnit.SECONDS);

        assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.SUCCESS);
        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(2);
        assertThat(received[0].getSubject()).isEqualTo("Rental 42 returned");
        assertThat(((String) received[0].getContent()).trim())
                .isEqualTo("Returned at 2026-12-04T10:15:30.123456Z, paid 4.99.");
        assertThat(received[0].getHeader("Message-ID")).containsExactly("<job-9@observers>");
    }

    @Test
    void required_starttls_refuses_a_server_that_does_not_offer_it() throws Exception {
        ActionOutcome outcome =
                executor.execute(SampleJobs.rentalReturned("job-10", 42), spec("required"))
                        .toCompletableFuture()
                        .get(20, TimeUnit.SECONDS);

        assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.PERMANENT);
        assertThat(outcome.excerpt()).contains("STARTTLS");
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }
}
