package dev.fraiseql.observers.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JvmDefaultsTest {

    /** Runs the probe in a JVM that sees the given number of cores; returns its one line. */
    private static String probe(int cores, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:ActiveProcessorCount=" + cores);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(JvmDefaultsProbe.class.getName());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    @Test
    void onTwoCoresTheDefaultExecutorIsNotThePoolUnlessTheDefaultsAreApplied() throws Exception {
        // Without the defaults, a 2-core JVM's CompletableFuture starts a thread per async task.
        assertThat(probe(2)).isEqualTo("1 false");
        assertThat(probe(2, "apply")).isEqualTo("2 true");
    }

    @Test
    void moreCoresKeepTheJvmsOwnChoiceOfOneLessThanTheCores() throws Exception {
        assertThat(probe(6, "apply")).isEqualTo("5 true");
    }
}
