package dev.loginpulse.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.loginpulse.bench.BenchOptions.Phase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness end to end at toy size, so that {@code ./mvnw verify} proves {@code ./bench.sh} works: a short broker
 * ceiling, 10,000 preloaded logins through the packaged cleaner and stats, and a short latency run at 1,000 logins/s.
 * Spark (a large download) and JMH are left to {@code ./bench.sh}.
 */
class BenchSmokeIT {

    private static final long N = 10_000;

    @Test
    void smallRunAccountsForEveryLoginAndMeasuresCeilingThroughputArchiveBacklogAndLatency() throws Exception {
        Path home = Path.of(System.getProperty("pulse.home", "../..")).toAbsolutePath().normalize();
        Path out = home.resolve("modules/bench/target/bench-smoke");
        BenchOptions options = BenchOptions.defaults(home)
                .version(System.getProperty("pulse.version", "1.0.0-SNAPSHOT"))
                .out(out)
                .n(N)
                .phases(EnumSet.of(Phase.CEILING, Phase.PIPELINE, Phase.ARCHIVE, Phase.BACKLOG, Phase.LATENCY))
                .backlog(N, List.of(1_000))
                .ceilingRecords(50_000)
                .rates(List.of(1_000))
                .latency(Duration.ofSeconds(2), Duration.ofSeconds(5))
                .latencyTuned(false)
                .timeout(Duration.ofSeconds(120));

        Results results = Bench.run(options);

        assertThat(results.notes).as("no phase failed").noneMatch(note -> note.startsWith("Phase"));
        assertThat(results.failures).isZero();
        assertThat(results.ceiling.producerRecordsPerSec()).isPositive();
        assertThat(results.ceiling.consumerRecordsPerSec()).isPositive();

        assertThat(results.preload.n()).isEqualTo(N);
        assertThat(results.preload.clean() + results.preload.deadLettered()).isEqualTo(N);
        assertThat(results.preload.deadLettered()).as("the generator's mix has dirty logins").isPositive();

        Results.ThroughputResult pipeline = results.throughput("pipeline-jvm");
        assertThat(pipeline.complete()).isTrue();
        assertThat(pipeline.cleanOut()).isEqualTo(results.preload.clean());
        assertThat(pipeline.deadLetteredOut()).isEqualTo(results.preload.deadLettered());
        assertThat(pipeline.cleanOut() + pipeline.deadLetteredOut()).isEqualTo(N);
        assertThat(pipeline.totalsReflected()).as("stats totals = clean logins").isEqualTo(results.preload.clean());
        assertThat(pipeline.windowsExact()).isTrue();
        // a clean record or a dead letter per login, and stats' changelogs, repartitions and markers on top
        assertThat(pipeline.brokerRecordsPerLogin()).isGreaterThan(1.0);
        assertThat(pipeline.overallPerSec()).isPositive();
        assertThat(pipeline.processes()).extracting(Results.ProcessUsage::name).contains("cleaner", "stats");
        assertThat(pipeline.processes()).allSatisfy(process -> assertThat(process.cpuSeconds()).isPositive());

        // the archive phase: everything the pipeline wrote is in the lake, and its logins per state are the preload's
        Results.ArchiveResult archive = results.archive;
        assertThat(archive.complete()).as("every record committed").isTrue();
        assertThat(archive.cleanLogins()).isEqualTo(results.preload.clean());
        assertThat(archive.deadLetters()).isEqualTo(results.preload.deadLettered());
        assertThat(archive.statsRecords()).as("stats publications").isPositive();
        assertThat(archive.exact()).as("lake vs preload: %s", archive.mismatch()).isTrue();
        assertThat(archive.cpuSeconds()).isPositive();
        assertThat(archive.peakRssMb()).isPositive();

        // the backlog phase: N logins at 1,000 per event-second, the pipeline started afterwards
        assertThat(results.backlog).singleElement().satisfies(backlog -> {
            assertThat(backlog.eventTimeRate()).isEqualTo(1_000);
            assertThat(backlog.catchUp().complete()).isTrue();
            assertThat(backlog.catchUp().totalsReflected()).isEqualTo(results.preload.clean());
            assertThat(backlog.catchUp().windowsExact()).as("every window exact after the backlog").isTrue();
        });

        assertThat(results.latency).singleElement().satisfies(latency -> {
            assertThat(latency.stats().count()).isPositive();
            assertThat(latency.websocket().count()).isPositive();
            assertThat(latency.stats().p50()).isPositive();
        });

        assertThat(out.resolve("results.json")).isNotEmptyFile();
        assertThat(Files.readString(out.resolve("results.md"))).contains("pipeline-jvm", "Broker ceiling", "Archive",
                "Backlog");
        assertThat(out.resolve("benchmarks.png")).isNotEmptyFile();
    }
}
