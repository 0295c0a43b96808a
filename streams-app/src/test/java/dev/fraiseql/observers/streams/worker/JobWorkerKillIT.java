package dev.fraiseql.observers.streams.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fraiseql.observers.core.action.WebhookSigner;
import dev.fraiseql.observers.schemas.Job;
import dev.fraiseql.observers.schemas.JobOutcome;
import dev.fraiseql.observers.schemas.JobStatus;
import dev.fraiseql.observers.testing.SampleJobs;
import dev.fraiseql.observers.testing.WebhookReceiver;
import dev.fraiseql.observers.testing.WebhookReceiver.Request;
import dev.fraiseql.observers.testing.WebhookReceiver.Response;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker as its own JVM, killed with SIGKILL while jobs are in flight and started again: no job
 * is lost, and whatever the receiver sees twice carries the same {@code webhook-id}.
 */
class JobWorkerKillIT {
    private static final Logger log = LoggerFactory.getLogger(JobWorkerKillIT.class);
    private static final int JOBS = 40;

    private final JobQueueFixture fixture = new JobQueueFixture();
    private final WebhookReceiver receiver = WebhookReceiver.start();
    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
        receiver.close();
    }

    private Process startWorkerProcess() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        File logFile = logFile();
        return new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-cp",
                        classpath,
                        WorkerProcess.class.getName(),
                        fixture.kafka.bootstrapServers(),
                        fixture.prefix,
                        receiver.url("/rentals").toString(),
                        "killable-1")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile))
                .start();
    }

    /** What the restarted worker left undone, and the end of its log, for a failure message. */
    private String whyUnfinished(Set<String> jobIds) throws IOException {
        Set<String> missing = new TreeSet<>(jobIds);
        missing.removeAll(finalStatuses().keySet());
        List<String> lines = Files.readAllLines(logFile().toPath());
        return "jobs without a final outcome after the restart: "
                + missing
                + "; receiver requests: "
                + receiver.requests().size()
                + "; worker process alive: "
                + process.isAlive()
                + "; last lines of "
                + logFile()
                + ":\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private File logFile() {
        return new File("target/worker-process-" + fixture.prefix + ".log");
    }

    private Map<String, JobStatus> finalStatuses() {
        return fixture.outcomes().stream()
                .filter(
                        o ->
                                o.getStatus() == JobStatus.DELIVERED
                                        || o.getStatus() == JobStatus.DEAD_LETTERED)
                .collect(
                        Collectors.toMap(JobOutcome::getJobId, JobOutcome::getStatus, (a, b) -> b));
    }

    @Test
    void a_worker_killed_mid_flight_and_restarted_loses_no_job_and_repeats_share_the_webhook_id()
            throws Exception {
        // Slow answers keep jobs in flight; every fifth job fails once, so retries are in flight
        // too.
        receiver.respondWith(
                request -> {
                    String id = request.header("webhook-id").orElse("");
                    long earlier =
                            receiver.requests().stream()
                                    .filter(
                                            r ->
                                                    r.number() < request.number()
                                                            && id.equals(
                                                                    r.header("webhook-id")
                                                                            .orElse("")))
                                    .count();
                    boolean failFirst = id.endsWith("0") || id.endsWith("5");
                    return failFirst && earlier == 0
                            ? Response.status(503)
                            : Response.status(200).after(Duration.ofMillis(300));
                });
        fixture.createTopics(WorkerProcess.spec(receiver.url("/rentals").toString()));
        Set<String> jobIds =
                IntStream.range(0, JOBS).mapToObj(i -> "job-k" + i).collect(Collectors.toSet());
        fixture.send(
                IntStream.range(0, JOBS)
                        .mapToObj(i -> SampleJobs.rentalReturned("job-k" + i, 1000 + i))
                        .toArray(Job[]::new));

        process = startWorkerProcess();
        // Generous limits: a JVM starting on a loaded 2-core machine took 36 s to send 12 requests.
        await().atMost(Duration.ofSeconds(120)).until(() -> receiver.requests().size() >= 12);
        process.destroyForcibly().waitFor();
        int requestsAtKill = receiver.requests().size();
        int finishedAtKill = finalStatuses().size();
        log.info(
                "killed the worker after {} requests, {} jobs finished",
                requestsAtKill,
                finishedAtKill);

        process = startWorkerProcess();
        try {
            await().atMost(Duration.ofSeconds(240))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> finalStatuses().size() == JOBS);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(whyUnfinished(jobIds), e);
        }

        Map<String, JobStatus> statuses = finalStatuses();
        assertThat(finishedAtKill).isLessThan(JOBS);
        assertThat(statuses.keySet()).isEqualTo(jobIds);
        assertThat(statuses.values()).containsOnly(JobStatus.DELIVERED);
        assertThat(fixture.deadLetters()).isEmpty();

        WebhookSigner signer = WebhookSigner.forSecret(JobQueueFixture.SECRET);
        List<Request> requests = receiver.requests();
        for (Request request : requests) {
            String id = request.header("webhook-id").orElseThrow();
            assertThat(jobIds).contains(id);
            assertThat(request.bodyText()).contains("\"job_id\":\"" + id + "\"");
            long timestamp = Long.parseLong(request.header("webhook-timestamp").orElseThrow());
            assertThat(
                            signer.verify(
                                    id,
                                    timestamp,
                                    request.body(),
                                    request.header("webhook-signature").orElseThrow()))
                    .isTrue();
        }
        Map<String, List<Request>> byId =
                requests.stream()
                        .collect(Collectors.groupingBy(r -> r.header("webhook-id").orElseThrow()));
        byId.forEach(
                (id, same) ->
                        assertThat(same)
                                .extracting(Request::bodyText)
                                .containsOnly(same.get(0).bodyText()));
        long repeated =
                byId.entrySet().stream()
                        .filter(
                                e ->
                                        e.getValue().size()
                                                > ((e.getKey().endsWith("0")
                                                                || e.getKey().endsWith("5"))
                                                        ? 2
                                                        : 1))
                        .count();
        log.info(
                "{} requests for {} jobs; {} jobs were delivered more than needed (all under one"
                        + " webhook-id)",
                requests.size(),
                JOBS,
                repeated);
    }
}
