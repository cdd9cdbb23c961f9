package dev.loginpulse.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.header.Header;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crashes while the pipeline streams: 120,000 raw logins go in while the cleaner and the stats service are killed
 * with SIGKILL three times each and the broker (a process of its own) once. Afterwards every raw record is in exactly one of
 * the
 * clean or dead-letter topics (counted by raw offset: the cleaner is at least once), the dashboard's per-state
 * totals equal the ground truth exactly (stats is exactly once and skips the cleaner's re-deliveries), and so does
 * every (state, window) figure on {@code user-login-stats}, logins and distinct users, none late (the windows' progress
 * is restored after each stats kill). The figures of
 * the run are written to {@code target/fault-run.properties}; {@code docs/reliability.md} records the last one.
 */
@SecondLane // three minutes of crashes and recovery
class FaultIT extends PipelineTest {

    private static final int EVENTS = 120_000;
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(5);

    @Override
    protected PipelineOptions options() {
        // the broker as a process of its own, so that it can crash (SIGKILL) rather than shut down
        return PipelineSupport.options("fault").broker(builder -> builder.childProcess(true));
    }

    @Test
    void killingCleanerAndStatsAndRestartingTheBrokerWhileStreamingLosesAndDoublesNothing() throws Exception {
        LoginStream stream = new LoginStream(42);
        AtomicLong acknowledged = new AtomicLong();
        Instant started = Instant.now();
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> PipelineSupport.produceAtPipelinePace(pipeline,
                stream, EVENTS, 5_000, 20_000, SETTLE_TIMEOUT, acknowledged));

        // The faults, each once the stream has reached a given share of the input.
        List<String> faults = new ArrayList<>();
        int kills = 0;
        Object[][] schedule = {
                { 0.10, Service.CLEANER }, { 0.20, Service.STATS }, { 0.35, "broker" }, { 0.45, Service.CLEANER },
                { 0.55, Service.STATS }, { 0.70, Service.CLEANER }, { 0.80, Service.STATS } };
        for (Object[] fault : schedule) {
            long threshold = (long) ((double) fault[0] * EVENTS);
            await().atMost(SETTLE_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> acknowledged.get() >= threshold || producing.isDone());
            if (fault[1] instanceof Service service) {
                pipeline.killService(service);
                pipeline.startService(service);
                kills++;
                faults.add("kill -9 " + service.moduleName() + " at " + acknowledged.get());
            } else {
                pipeline.broker().kill();
                pipeline.broker().start();
                faults.add("kill -9 broker at " + acknowledged.get());
            }
        }
        producing.get(SETTLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(acknowledged.get()).isEqualTo(EVENTS);

        Map<String, Long> truth = stream.cleanByState();
        ConditionTimeoutException totalsTimeout = null;
        try {
            await().atMost(SETTLE_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(PipelineSupport.stateTotals(pipeline)).isEqualTo(truth));
        } catch (ConditionTimeoutException e) {
            totalsTimeout = e; // report the figures below first, then fail
        }
        Duration settled = Duration.between(started, Instant.now());
        Map<String, Long> served = PipelineSupport.stateTotals(pipeline);
        long servedTotal = served.values().stream().mapToLong(Long::longValue).sum();

        // Every raw record in exactly one of the two topics, counted by its raw partition and offset.
        Set<String> cleanSources = new HashSet<>();
        long[] cleanRecords = { 0 };
        PipelineSupport.forEachRecord(pipeline, Topics.USER_LOGIN_CLEAN,
                PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN), record -> {
                    cleanRecords[0]++;
                    cleanSources.add(header(record.headers().lastHeader(Topics.SOURCE_OFFSET)));
                });
        Set<String> deadLetterSources = new HashSet<>();
        long[] deadLetterRecords = { 0 };
        PipelineSupport.forEachRecord(pipeline, Topics.USER_LOGIN_DLQ,
                PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ), record -> {
                    deadLetterRecords[0]++;
                    deadLetterSources.add(header(record.headers().lastHeader("dead-letter-partition")) + ":"
                            + header(record.headers().lastHeader("dead-letter-offset")));
                });
        // Every (state, window) figure, against the truth counted by the test.
        List<String> windowDifferences = stream.windows().differences(WindowTruth.published(pipeline), 10);

        Set<String> both = new HashSet<>(cleanSources);
        both.retainAll(deadLetterSources);

        long mismatches = both.size() + Math.abs(cleanSources.size() - stream.cleanCount())
                + Math.abs(deadLetterSources.size() - stream.deadLetterCount())
                + truth.keySet().stream().filter(state -> !truth.get(state).equals(served.get(state))).count()
                + windowDifferences.size();
        String figures = String.join("\n",
                "date=" + Instant.now(),
                "events=" + EVENTS,
                "clean.expected=" + stream.cleanCount(),
                "clean.distinct=" + cleanSources.size(),
                "clean.records=" + cleanRecords[0],
                "clean.redelivered=" + (cleanRecords[0] - cleanSources.size()),
                "deadLetters.expected=" + stream.deadLetterCount(),
                "deadLetters.distinct=" + deadLetterSources.size(),
                "deadLetters.records=" + deadLetterRecords[0],
                "kills=" + kills,
                "brokerKills=1",
                "faults=" + String.join("; ", faults),
                "dashboard.total=" + servedTotal,
                "secondsToExactTotals=" + (totalsTimeout == null ? settled.toSeconds() : "never"),
                "windows.compared=" + stream.windows().windows(),
                "windows.differing=" + windowDifferences.size() + (windowDifferences.isEmpty() ? ""
                        : " (first: " + windowDifferences.get(0) + ")"),
                "mismatches=" + mismatches) + "\n";
        Path report = Path.of(System.getProperty("pulse.home", "../..")).resolve("modules/e2e/target/fault-run.properties");
        Files.writeString(report, figures);
        System.out.println("Fault run:\n" + figures);

        if (totalsTimeout != null) {
            throw totalsTimeout;
        }
        assertThat(both).as("raw records both clean and dead-lettered").isEmpty();
        assertThat(windowDifferences).as("(state, window) figures that differ from the truth, of %d",
                stream.windows().windows()).isEmpty();
        assertThat(cleanSources).as("distinct raw records cleaned").hasSize((int) stream.cleanCount());
        assertThat(deadLetterSources).as("distinct raw records dead-lettered").hasSize((int) stream.deadLetterCount());
        assertThat(cleanSources.size() + deadLetterSources.size()).isEqualTo(EVENTS);
        for (Service service : PipelineSupport.STREAMING) {
            assertThat(PipelineSupport.status(pipeline, service, "/q/health/ready")).as("%s ready", service)
                    .isEqualTo(200);
        }
    }

    private static String header(Header header) {
        return header == null ? "missing" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
