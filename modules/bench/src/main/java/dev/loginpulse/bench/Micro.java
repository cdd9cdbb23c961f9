package dev.loginpulse.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The JMH micro-benchmarks of {@code dev.loginpulse.bench.jmh}: the cleaning function and the JSON serdes, average
 * time per operation and allocation per operation ({@code -prof gc}). Short settings: 3 warm-up and 5 measurement
 * iterations of 1 s in {@code --jmh-forks} forks.
 */
final class Micro {

    static final int WARMUP_ITERATIONS = 3;
    static final int MEASUREMENT_ITERATIONS = 5;

    private Micro() {
    }

    static List<Results.MicroResult> run(BenchOptions options) {
        String settings = options.jmhForks + " fork(s), " + WARMUP_ITERATIONS + "×1 s warm-up, "
                + MEASUREMENT_ITERATIONS + "×1 s measured, -prof gc";
        System.out.println("JMH: " + settings);
        Options jmh = new OptionsBuilder()
                .include("dev\\.loginpulse\\.bench\\.jmh\\..*")
                .forks(options.jmhForks)
                .warmupIterations(WARMUP_ITERATIONS)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(MEASUREMENT_ITERATIONS)
                .measurementTime(TimeValue.seconds(1))
                .addProfiler(GCProfiler.class)
                .jvmArgs("-Xmx512m")
                .result(options.out().resolve("jmh.json").toString())
                .resultFormat(ResultFormatType.JSON)
                .build();
        Collection<RunResult> runs;
        try {
            runs = new Runner(jmh).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed", e);
        }
        List<Results.MicroResult> results = new ArrayList<>();
        for (RunResult run : runs) {
            String name = run.getParams().getBenchmark().replace("dev.loginpulse.bench.jmh.", "");
            for (String param : run.getParams().getParamsKeys()) {
                name += " " + param + "=" + run.getParams().getParam(param);
            }
            Result<?> primary = run.getPrimaryResult();
            double bytes = -1;
            for (Map.Entry<String, Result> secondary : run.getSecondaryResults().entrySet()) {
                if (secondary.getKey().endsWith("gc.alloc.rate.norm")) {
                    bytes = secondary.getValue().getScore();
                }
            }
            results.add(new Results.MicroResult(name, primary.getScore(), primary.getScoreError(), bytes, settings));
        }
        return results;
    }
}
