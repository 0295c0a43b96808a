package dev.fraiseql.observers.core.action;

import dev.fraiseql.observers.schemas.Job;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Sends a plain-text email over SMTP.
 *
 * <p>Options: {@code smtp_host} (required), {@code smtp_port} (default 587), {@code starttls}
 * ({@code required}, the default: refuse to send in clear; {@code optional}; {@code off}), {@code
 * username} and {@code password}, {@code from} and {@code to} (one address or a list; required),
 * {@code subject} and {@code body} ({@link Template}s), {@code timeout} (default 30 s).
 *
 * <p>The message's {@code Message-ID} is derived from the job id, so every attempt of a job sends
 * the same message identity. SMTP replies are classified like HTTP ones: 4xx replies and connection
 * errors are retriable, 5xx replies and refused credentials are permanent. JavaMail blocks, so
 * sends run on a small pool of their own and never on the caller's thread.
 */
public final class EmailExecutor implements ActionExecutor {
    private final ExecutorService pool;
    private final Map<Map<String, Object>, Options> parsed = new ConcurrentHashMap<>();

    record Options(
            String host,
            int port,
            String starttls,
            String username,
            String password,
            InternetAddress from,
            List<InternetAddress> to,
            Template subject,
            Template body,
            Duration timeout) {}

    /** An executor sending at most {@code threads} emails at once. */
    public EmailExecutor(int threads) {
        AtomicInteger counter = new AtomicInteger();
        this.pool =
                Executors.newFixedThreadPool(
                        threads,
                        runnable -> {
                            Thread thread =
                                    new Thread(
                                            runnable, "email-action-" + counter.incrementAndGet());
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    @Override
    public String type() {
        return "email";
    }

    @Override
    public List<String> validate(Map<String, Object> options) {
        OptionReader reader = new OptionReader(type(), options);
        read(reader);
        return reader.problems();
    }

    @Override
    public Optional<String> targetHost(ActionSpec spec) {
        Options options = options(spec);
        return options == null
                ? Optional.empty()
                : Optional.of(options.host() + ":" + options.port());
    }

    @Override
    public CompletionStage<ActionOutcome> execute(Job job, ActionSpec spec) {
        Options options;
        try {
            options = parsed.computeIfAbsent(spec.options(), this::parse);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(
                    ActionOutcome.permanent(null, "invalid-options", e.getMessage()));
        }
        try {
            return CompletableFuture.supplyAsync(() -> send(job, options), pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(
                    ActionOutcome.retriable(null, "shutdown", "the email sender is closing"));
        }
    }

    private ActionOutcome send(Job job, Options options) {
        Session session = Session.getInstance(sessionProperties(options));
        try {
            MimeMessage message =
                    new MimeMessage(session) {
                        @Override
                        protected void updateMessageID() throws MessagingException {
                            // The job id, not a random one: repeats of a job are one message.
                            setHeader("Message-ID", "<" + job.getJobId() + "@observers>");
                        }
                    };
            message.setFrom(options.from());
            message.setRecipients(
                    Message.RecipientType.TO, options.to().toArray(new InternetAddress[0]));
            var document = EventJson.jobDocument(job);
            message.setSubject(options.subject().render(document), "UTF-8");
            message.setText(options.body().render(document), "UTF-8");
            if (options.username() != null) {
                Transport.send(message, options.username(), options.password());
            } else {
                Transport.send(message);
            }
            return ActionOutcome.success(250);
        } catch (AuthenticationFailedException e) {
            return ActionOutcome.permanent(
                    null, "smtp-auth", "the SMTP server refused the credentials");
        } catch (SMTPAddressFailedException e) {
            return smtpReply(e.getReturnCode(), e.getMessage());
        } catch (SMTPSendFailedException e) {
            return smtpReply(e.getReturnCode(), e.getMessage());
        } catch (MessagingException e) {
            if (e.getNextException() instanceof java.io.IOException io) {
                return ActionOutcome.retriable(
                        null, "connection", io.getClass().getSimpleName() + ": " + io.getMessage());
            }
            String message = String.valueOf(e.getMessage());
            // STARTTLS required but not offered, and similar: retrying will not change the server.
            return ActionOutcome.permanent(null, "smtp", message);
        }
    }

    private static ActionOutcome smtpReply(int code, String message) {
        return code >= 400 && code < 500
                ? ActionOutcome.retriable(code, "smtp_" + code, message)
                : ActionOutcome.permanent(code, "smtp_" + code, message);
    }

    private static Properties sessionProperties(Options options) {
        Properties properties = new Properties();
        String millis = Long.toString(options.timeout().toMillis());
        properties.put("mail.smtp.host", options.host());
        properties.put("mail.smtp.port", Integer.toString(options.port()));
        properties.put("mail.smtp.connectiontimeout", millis);
        properties.put("mail.smtp.timeout", millis);
        properties.put("mail.smtp.writetimeout", millis);
        properties.put("mail.smtp.auth", Boolean.toString(options.username() != null));
        properties.put(
                "mail.smtp.starttls.enable", Boolean.toString(!options.starttls().equals("off")));
        properties.put(
                "mail.smtp.starttls.required",
                Boolean.toString(options.starttls().equals("required")));
        return properties;
    }

    private Options options(ActionSpec spec) {
        try {
            return parsed.computeIfAbsent(spec.options(), this::parse);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Options parse(Map<String, Object> options) {
        OptionReader reader = new OptionReader(type(), options);
        Options result = read(reader);
        reader.throwIfInvalid();
        return result;
    }

    private static Options read(OptionReader reader) {
        String host = reader.requiredString("smtp_host", "smtp.example.test");
        int port = reader.integer("smtp_port", 587, 1, 65535);
        String starttls =
                reader.choice("starttls", "required", Set.of("required", "optional", "off"));
        String username = reader.optionalString("username", null);
        String password = reader.secret("password");
        if (username != null && password == null) {
            reader.problem("password", "username is set but password is missing");
        }
        InternetAddress from =
                address(reader, "from", reader.requiredString("from", "observers@example.test"));
        List<InternetAddress> to =
                reader.stringList("to").stream().map(text -> address(reader, "to", text)).toList();
        if (to.isEmpty()) {
            reader.problem("to", "missing; set one address or a list of addresses");
        }
        Template subject =
                template(reader, "subject", "observer {{observer}}: {{op}} on {{entity}}");
        Template body = template(reader, "body", "{{event}}");
        Duration timeout = reader.duration("timeout", Duration.ofSeconds(30));
        reader.rejectUnknown();
        return new Options(
                host, port, starttls, username, password, from, to, subject, body, timeout);
    }

    private static InternetAddress address(OptionReader reader, String option, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            InternetAddress address = new InternetAddress(text, true);
            return address;
        } catch (AddressException e) {
            reader.problem(option, "'" + text + "' is not an email address: " + e.getMessage());
            return null;
        }
    }

    private static Template template(OptionReader reader, String option, String fallback) {
        String source = reader.optionalString(option, fallback);
        try {
            return Template.parse(source, Template.Escape.NONE);
        } catch (IllegalArgumentException e) {
            reader.problem(option, e.getMessage());
            return Template.parse(fallback, Template.Escape.NONE);
        }
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
