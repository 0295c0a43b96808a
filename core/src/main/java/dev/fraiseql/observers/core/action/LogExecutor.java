package dev.fraiseql.observers.core.action;

import dev.fraiseql.observers.schemas.Job;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a line to the log {@code dev.fraiseql.observers.actions.log}: a {@link Template} given as
 * {@code message} (default: observer, operation, entity and key), at the {@code level} asked for
 * ({@code info} by default; {@code debug}, {@code warn}). It is the one action allowed to print row
 * values above TRACE, because an operator asked for it in an observer file.
 */
public final class LogExecutor implements ActionExecutor {
    private static final Logger actionLog =
            LoggerFactory.getLogger("dev.fraiseql.observers.actions.log");
    private static final String DEFAULT_MESSAGE =
            "observer {{observer}}: {{op}} on {{entity}} key {{key}} (job {{job_id}})";

    private final Map<Map<String, Object>, Options> parsed = new ConcurrentHashMap<>();

    record Options(Template message, String level) {}

    @Override
    public String type() {
        return "log";
    }

    @Override
    public List<String> validate(Map<String, Object> options) {
        OptionReader reader = new OptionReader(type(), options);
        read(reader);
        return reader.problems();
    }

    @Override
    public Optional<String> targetHost(ActionSpec spec) {
        return Optional.empty();
    }

    @Override
    public CompletionStage<ActionOutcome> execute(Job job, ActionSpec spec) {
        try {
            Options options = parsed.computeIfAbsent(spec.options(), this::parse);
            String line = options.message().render(job);
            switch (options.level()) {
                case "debug" -> actionLog.debug("{}", line);
                case "warn" -> actionLog.warn("{}", line);
                default -> actionLog.info("{}", line);
            }
            return CompletableFuture.completedFuture(ActionOutcome.success(null));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(
                    ActionOutcome.permanent(null, "invalid-options", e.getMessage()));
        }
    }

    private Options parse(Map<String, Object> options) {
        OptionReader reader = new OptionReader(type(), options);
        Options result = read(reader);
        reader.throwIfInvalid();
        return result;
    }

    private static Options read(OptionReader reader) {
        String source = reader.optionalString("message", DEFAULT_MESSAGE);
        Template message = Template.parse(DEFAULT_MESSAGE, Template.Escape.NONE);
        try {
            message = Template.parse(source, Template.Escape.NONE);
        } catch (IllegalArgumentException e) {
            reader.problem("message", e.getMessage());
        }
        String level = reader.choice("level", "info", Set.of("debug", "info", "warn"));
        reader.rejectUnknown();
        return new Options(message, level);
    }
}
