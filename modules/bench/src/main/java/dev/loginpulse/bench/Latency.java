package dev.loginpulse.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.HdrHistogram.Histogram;

import dev.loginpulse.generator.model.LoginFactory;
import dev.loginpulse.launcher.Pipeline;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

/**
 * End-to-end latency on the whole pipeline (cleaner, stats, dashboard, JVM mode) at fixed produce rates. The bench
 * produces the generator's mix ({@link LoginFactory}, with the generator's producer settings) at the rate, except that
 * one small state, {@link #PROBE_STATE}, gets only probes: one well-formed login every {@link #PROBE_INTERVAL}, whose
 * send time the bench notes. The k-th probe has arrived when a stats record (or a dashboard WebSocket frame) shows the
 * probe state's running total at k or more: latency = that moment − the probe's send. {@link ProbeLoad} sends the
 * load and the probes, {@link ProbeArrivals} observes them.
 */
final class Latency {

    static final String PROBE_STATE = "WY";
    static final Duration PROBE_INTERVAL = Duration.ofMillis(20);
    private static final Duration DRAIN = Duration.ofSeconds(15);
    private static final Duration CATCH_UP = Duration.ofSeconds(120);
    private static final Duration CAUGHT_UP = Duration.ofSeconds(2);

    private Latency() {
    }

    /** One configuration of the services to measure. */
    record Setup(String name, List<String> jvmArgs, List<Integer> rates) {
    }

    static List<Results.LatencyResult> run(BenchOptions options) {
        List<Setup> setups = new ArrayList<>();
        setups.add(new Setup("default", options.serviceJvmArgs, options.rates));
        if (options.latencyTuned) {
            List<String> tuned = new ArrayList<>(options.serviceJvmArgs);
            tuned.add("-Dpulse.stats.emit-interval=PT0.05S");
            tuned.add("-Dpulse.dashboard.broadcast-interval=PT0.05S");
            setups.add(new Setup("stats emit 50 ms (a commit after each); dashboard 50 ms", tuned, List.of(5_000)));
        }
        List<Results.LatencyResult> results = new ArrayList<>();
        for (Setup setup : setups) {
            results.addAll(run(options, setup));
        }
        return results;
    }

    private static List<Results.LatencyResult> run(BenchOptions options, Setup setup) {
        System.out.printf("Latency (%s): cleaner, stats and dashboard on a fresh broker; rates %s%n", setup.name(),
                setup.rates());
        PipelineOptions pipelineOptions = new PipelineOptions()
                .home(options.home)
                .version(options.version)
                .logDir(options.out().resolve("logs").resolve("latency-" + setup.name().replaceAll("[^a-z0-9]+", "-")))
                .kafkaPort(0)
                .partitions(options.partitions)
                .broker(Bench::tolerant)
                .services(List.of(Service.CLEANER, Service.STATS, Service.DASHBOARD))
                .jvmArgs(setup.jvmArgs())
                .env("PULSE_STATS_STATE_DIR", options.out().resolve("stats-state-" + UUID.randomUUID()).toString());
        for (Service service : Service.values()) {
            pipelineOptions.port(service, 0);
        }
        List<Results.LatencyResult> results = new ArrayList<>();
        try (Pipeline pipeline = ExitHook.closeOnExit(Pipeline.start(pipelineOptions));
                ProbeLoad load = new ProbeLoad(pipeline.bootstrapServers());
                ProbeArrivals arrivals = new ProbeArrivals(pipeline, load::probesSent)) {
            for (int rate : setup.rates()) {
                results.add(measure(load, arrivals, options.out(), rate, setup.name(), options.latencyWarmup,
                        options.latencyMeasure));
            }
        }
        return results;
    }

    private static Results.LatencyResult measure(ProbeLoad load, ProbeArrivals arrivals, Path out, int targetRate,
            String setup, Duration warmup, Duration measure) {
        load.rate(targetRate);
        System.out.printf("  %,d logins/s: %d s warm-up, %d s measured%n", targetRate, warmup.toSeconds(),
                measure.toSeconds());
        // First the pipeline must catch up (the first time: with its start, JIT compilation included): until the
        // latest probe seen on both the stats topic and the WebSocket was sent less than CAUGHT_UP ago.
        long catchUpEnd = System.nanoTime() + CATCH_UP.toNanos();
        while (!caughtUp(load, arrivals) && System.nanoTime() < catchUpEnd) {
            Throughput.pause(Duration.ofMillis(50));
        }
        if (!caughtUp(load, arrivals)) {
            System.out.printf("    the pipeline did not catch up within %d s; measuring anyway%n",
                    CATCH_UP.toSeconds());
        }
        Throughput.pause(warmup);
        int firstProbe = load.probesSent() + 1;
        long producedBefore = load.produced();
        long start = System.nanoTime();
        try (Progress progress = new Progress(targetRate / 1000 + "k/s", () -> String.format(
                "%s logins produced, probes %d sent, %d in stats, %d on the WebSocket",
                Progress.count(load.produced()), load.probesSent(), arrivals.statsResolved(),
                arrivals.socketResolved()))) {
            Throughput.pause(measure);
        }
        int lastProbe = load.probesSent();
        double achieved = (load.produced() - producedBefore) / ((System.nanoTime() - start) / 1e9);
        long drainEnd = System.nanoTime() + DRAIN.toNanos();
        while ((arrivals.statsResolved() < lastProbe || arrivals.socketResolved() < lastProbe)
                && System.nanoTime() < drainEnd) {
            Throughput.pause(Duration.ofMillis(50));
        }
        Histogram stats = new Histogram(3);
        Histogram websocket = new Histogram(3);
        long lost = 0;
        StringBuilder csv = new StringBuilder("probe,sent_ms,stats_ms,websocket_ms\n");
        for (int k = firstProbe; k <= lastProbe; k++) {
            long sent = load.sent(k);
            long statsSeen = arrivals.statsSeen(k);
            long socketSeen = arrivals.socketSeen(k);
            csv.append(k).append(',').append((sent - load.sent(firstProbe)) / 1_000_000).append(',')
                    .append(statsSeen > 0 ? String.valueOf((statsSeen - sent) / 1_000_000) : "")
                    .append(',')
                    .append(socketSeen > 0 ? String.valueOf((socketSeen - sent) / 1_000_000) : "")
                    .append('\n');
            if (statsSeen > 0) {
                stats.recordValue(Math.max(1, (statsSeen - sent) / 1_000));
            } else {
                lost++;
            }
            if (socketSeen > 0) {
                websocket.recordValue(Math.max(1, (socketSeen - sent) / 1_000));
            }
        }
        try {
            Files.writeString(out.resolve("latency-" + setup.replaceAll("[^a-z0-9]+", "-") + "-" + targetRate
                    + ".csv"), csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Results.LatencyResult result = new Results.LatencyResult(targetRate, setup, lastProbe - firstProbe + 1,
                lost, percentiles(stats), percentiles(websocket), achieved);
        System.out.printf("    produce → stats:     p50 %6.0f ms, p95 %6.0f ms, p99 %6.0f ms, max %6.0f ms (%d"
                + " probes)%n", result.stats().p50(), result.stats().p95(), result.stats().p99(),
                result.stats().max(), result.stats().count());
        System.out.printf("    produce → WebSocket: p50 %6.0f ms, p95 %6.0f ms, p99 %6.0f ms, max %6.0f ms (%d"
                + " probes); %,.0f logins/s achieved%n", result.websocket().p50(), result.websocket().p95(),
                result.websocket().p99(), result.websocket().max(), result.websocket().count(), achieved);
        return result;
    }

    private static boolean caughtUp(ProbeLoad load, ProbeArrivals arrivals) {
        long seen = Math.min(arrivals.statsResolved(), arrivals.socketResolved());
        return seen > 0 && System.nanoTime() - load.sent((int) seen) < CAUGHT_UP.toNanos();
    }

    private static Results.Percentiles percentiles(Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return new Results.Percentiles(0, 0, 0, 0, 0);
        }
        return new Results.Percentiles(histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(95) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
                histogram.getMaxValue() / 1000.0, histogram.getTotalCount());
    }
}
