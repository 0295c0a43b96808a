package dev.fraiseql.observers.ops.fault;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JVM started by a fault test, with its standard output and error captured in one file per start
 * ({@code <name>-1.log}, {@code <name>-2.log}, ...), so that every incarnation's log can be read
 * after the run. {@link #kill()} sends SIGKILL ({@link Process#destroyForcibly()} on Linux), the
 * crash the tests simulate; {@link #stop(Duration)} sends SIGTERM.
 */
final class ChildJvm {
    private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);

    private final String name;
    private final Path logDir;
    private final List<String> command;
    private final List<Path> logs = new ArrayList<>();
    private Process process;

    ChildJvm(String name, Path logDir, List<String> jvmOptions, List<String> mainAndArguments) {
        this.name = name;
        this.logDir = logDir;
        List<String> full = new ArrayList<>();
        full.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        full.addAll(jvmOptions);
        full.addAll(mainAndArguments);
        this.command = List.copyOf(full);
    }

    /** The class path of this test JVM, for child JVMs that run classes of the build. */
    static String testClassPath() {
        return System.getProperty(
                "surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** Starts a new incarnation with its own log file. */
    synchronized void start() {
        if (alive()) {
            throw new IllegalStateException(name + " is already running");
        }
        Path logFile = logDir.resolve(name + "-" + (logs.size() + 1) + ".log");
        try {
            process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(logFile.toFile())
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
        logs.add(logFile);
        log.info("started {} (pid {}), log {}", name, process.pid(), logFile);
    }

    /** Waits until the current incarnation's log contains the text. */
    void awaitLogLine(String text, Duration timeout) {
        Path logFile = currentLog();
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !alive() || read(logFile).contains(text));
        if (!read(logFile).contains(text)) {
            throw new IllegalStateException(
                    name + " ended before printing '" + text + "':\n" + tail(logFile, 4000));
        }
    }

    /** SIGKILL: the process ends at once, without running any shutdown hook. */
    synchronized void kill() throws InterruptedException {
        if (!alive()) {
            throw new IllegalStateException(name + " is not running; it cannot be killed");
        }
        log.info("killing {} (pid {}) with SIGKILL", name, process.pid());
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not end within 30 s of SIGKILL");
        }
    }

    /** SIGTERM, then SIGKILL if the process has not ended within the timeout. */
    synchronized void stop(Duration timeout) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn(
                    "{} did not stop within {} s of SIGTERM; killing it",
                    name,
                    timeout.toSeconds());
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** The log file of every incarnation so far, in start order. */
    synchronized List<Path> logs() {
        return List.copyOf(logs);
    }

    /** The number of times this JVM was started. */
    synchronized int starts() {
        return logs.size();
    }

    private synchronized Path currentLog() {
        return logs.get(logs.size() - 1);
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The end of a log file, for failure messages. */
    static String tail(Path file, int characters) {
        String text = read(file);
        return text.substring(Math.max(0, text.length() - characters));
    }
}
