package dev.loginpulse.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TargetsTest {

    @Test
    void eachTargetIsJudgedFromItsFigureAndUnmeasuredOnesSaySo() {
        Results results = new Results();
        results.preload = new Results.PreloadResult(1_000_000, 950_000, 50_000, 200_000_000, 10, 100, 1_000, "test");
        // 8 s of engine CPU for 1,000,000 logins: 8 µs per login
        results.throughput.add(throughput("pipeline-jvm", 120_000, 90_000, 5, 3));
        results.throughput.add(throughput("spark", 30_000, 40_000, 30, 30));
        results.latency.add(new Results.LatencyResult(5_000, "default", 100, 0,
                new Results.Percentiles(50, 90, 120, 130, 100), new Results.Percentiles(80, 200, 260, 300, 100),
                5_000));
        // 120,000 logins/s on one core, exactly, in 600 MB
        results.archive = new Results.ArchiveResult(950_000, 40_000, 50_000, true, true, null, 12, 86_667, 120_000,
                10, 9.6, 600, "test");

        List<Targets.Target> targets = Targets.of(results);

        assertThat(targets).extracting(Targets.Target::reached).containsExactly(
                true, // 120,000/s steady
                false, // 4× steady but only 2.25× overall
                true, // 8 µs
                false, // p99 260 ms
                null, // 50k/s not measured
                null, // no native run
                true, // archiver 120,000/s
                false, // archiver 600 MB
                null); // no backlog run
        assertThat(targets.get(1).figure()).isEqualTo("4.00× steady, 2.25× overall");
        assertThat(targets.get(2).figure()).isEqualTo("8 µs");
        assertThat(targets.get(6).figure()).isEqualTo("120,000/s steady");
        assertThat(targets.get(7).figure()).isEqualTo("600 MB");

        results.archive = new Results.ArchiveResult(950_000, 40_000, 50_000, true, false, "TX 1 (expected 2)", 12,
                86_667, 120_000, 10, 9.6, 400, "test");
        assertThat(Targets.of(results).get(6).reached()).as("fast but not exact").isFalse();
        assertThat(Targets.of(results).get(6).figure()).contains("lake not exact");
        results.archive = null;
        assertThat(Targets.of(results).get(6).reached()).as("archive phase not run").isNull();
        assertThat(Targets.markdown(results)).contains("| ≥ 100,000 logins/s steady (pipeline, JVM) | 120,000/s | yes |",
                "not measured", "**no**");
    }

    private static Results.ThroughputResult throughput(String engine, double steady, double overall, double cleanerCpu,
            double statsCpu) {
        return new Results.ThroughputResult(engine, true, true, 0, 950_000, 50_000, 950_000, 1, 10, overall, steady,
                List.of(new Results.ProcessUsage("cleaner", cleanerCpu, 50, 300),
                        new Results.ProcessUsage("stats", statsCpu, 50, 300),
                        new Results.ProcessUsage("broker + harness", 100, 90, 900)),
                "test", 6);
    }
}
