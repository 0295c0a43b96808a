package dev.fraiseql.observers.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Every log event of this JVM while open, as the text a log file would hold: level, logger, thread,
 * the formatted message, and the full stack trace of any exception with its causes. Loggers can be
 * turned up for the capture ({@link #level}); their levels are restored on close.
 *
 * <pre>{@code
 * try (CapturedLogs logs = CapturedLogs.start().level("dev.fraiseql", "DEBUG")) {
 *     ...
 *     assertThat(logs.text()).doesNotContain(secret);
 * }
 * }</pre>
 */
public final class CapturedLogs implements AutoCloseable {
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Map<Logger, Level> previous = new LinkedHashMap<>();
    private final List<String> lines = new ArrayList<>();
    private final AppenderBase<ILoggingEvent> appender =
            new AppenderBase<>() {
                @Override
                protected void append(ILoggingEvent event) {
                    StringBuilder line =
                            new StringBuilder()
                                    .append(event.getLevel())
                                    .append(' ')
                                    .append(event.getLoggerName())
                                    .append(" [")
                                    .append(event.getThreadName())
                                    .append("] ")
                                    .append(event.getFormattedMessage());
                    IThrowableProxy error = event.getThrowableProxy();
                    if (error != null) {
                        line.append('\n').append(ThrowableProxyUtil.asString(error));
                    }
                    synchronized (lines) {
                        lines.add(line.toString());
                    }
                }
            };

    private CapturedLogs() {}

    /** Starts capturing every event that passes its logger's level. */
    public static CapturedLogs start() {
        CapturedLogs logs = new CapturedLogs();
        logs.appender.setContext(logs.context);
        logs.appender.setName("captured-" + System.identityHashCode(logs));
        logs.appender.start();
        logs.root.addAppender(logs.appender);
        return logs;
    }

    /** Sets a logger's level ({@code DEBUG}, {@code TRACE}, ...) until this capture closes. */
    public CapturedLogs level(String loggerName, String level) {
        Logger logger = context.getLogger(loggerName);
        previous.putIfAbsent(logger, logger.getLevel());
        logger.setLevel(Level.toLevel(level));
        return this;
    }

    /** The lines captured so far, one per event (a stack trace stays inside its event's line). */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Everything captured so far, one event per line. */
    public String text() {
        return String.join("\n", lines());
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        previous.forEach(Logger::setLevel);
    }
}
