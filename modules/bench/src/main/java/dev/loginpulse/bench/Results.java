package dev.loginpulse.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one bench run measured; written as {@code results.json} and rendered by {@link Report}. */
public final class Results {

    public Environment environment;
    public String loadBefore;
    public String loadAfter;
    public CeilingResult ceiling;
    public PreloadResult preload;
    public final List<ThroughputResult> throughput = new ArrayList<>();
    public final List<BacklogResult> backlog = new ArrayList<>();
    public ArchiveResult archive;
    public final List<LatencyResult> latency = new ArrayList<>();
    public final List<MicroResult> micro = new ArrayList<>();
    public final List<String> notes = new ArrayList<>();
    /** Phases that failed (their exceptions are in {@link #notes}). */
    public int failures;
    /** Parameters that are not figures, for the report. */
    public final Map<String, String> parameters = new LinkedHashMap<>();

    /** The engine's throughput result, or {@code null}. */
    public ThroughputResult throughput(String engine) {
        return throughput.stream().filter(t -> t.engine().equals(engine)).findFirst().orElse(null);
    }

    /**
     * Where and with what the bench ran.
     *
     * @param date ISO date of the run
     * @param cores available processors
     * @param memory total memory, e.g. {@code 24 GiB}
     * @param os the distribution's pretty name
     * @param cpu the CPU model
     * @param jdk the harness's and services' JDK
     * @param quarkus Quarkus platform version
     * @param kafka Kafka version (broker, clients, tools)
     */
    public record Environment(String date, int cores, String memory, String os, String cpu, String jdk,
            String quarkus, String kafka) {
    }

    /**
     * The broker's ceiling on this box.
     *
     * @param records records per run
     * @param recordSize bytes per record
     * @param producerRecordsPerSec ProducerPerformance's records/s
     * @param producerMbPerSec its MB/s
     * @param producerP99Ms its 99th percentile send latency
     * @param producerConfig the producer settings
     * @param consumerRecordsPerSec ConsumerPerformance's records/s (whole run)
     * @param consumerFetchRecordsPerSec its records/s while fetching (without the group join)
     */
    public record CeilingResult(long records, int recordSize, double producerRecordsPerSec, double producerMbPerSec,
            double producerP99Ms, String producerConfig, double consumerRecordsPerSec,
            double consumerFetchRecordsPerSec) {
    }

    /**
     * The preloaded raw logins and what the cleaning rules make of them.
     *
     * @param n raw logins
     * @param clean logins the rules clean
     * @param deadLettered logins the rules reject
     * @param bytes total value bytes
     * @param seconds time to produce them
     * @param eventTimeSeconds the span of event time they cover
     * @param windows (state, window) pairs they fill
     * @param producerConfig the preload producer's settings
     */
    public record PreloadResult(long n, long clean, long deadLettered, long bytes, double seconds,
            double eventTimeSeconds, int windows, String producerConfig) {
    }

    /**
     * One engine's run over the preloaded topic.
     *
     * @param engine e.g. {@code pipeline-jvm}, {@code spark}
     * @param complete whether the engine's stats reflected every preloaded login within the timeout
     * @param windowsExact whether every (state, window) count and distinct-user count equals the expected one
     * @param windowMismatches how many (state, window) pairs differ
     * @param cleanOut records the engine wrote to its clean topic
     * @param deadLetteredOut records the engine wrote to its dead-letter topic
     * @param totalsReflected the sum of the engine's per-state running totals ({@code -1} if it has none)
     * @param firstOutputSeconds launch → first clean record
     * @param secondsToAll launch → stats reflect all N
     * @param overallPerSec N / secondsToAll
     * @param steadyPerSec raw logins/s while the stats went from 20 % to 80 % of N
     * @param processes CPU seconds and peak RSS of each process
     * @param config what was configured
     * @param brokerRecordsPerLogin records the broker took during the run (every topic, internal ones, changelogs and
     *        repartitions included, and transaction markers) per preloaded login: the engine's write amplification
     */
    public record ThroughputResult(String engine, boolean complete, boolean windowsExact, int windowMismatches,
            long cleanOut, long deadLetteredOut, long totalsReflected, double firstOutputSeconds,
            double secondsToAll, double overallPerSec, double steadyPerSec, List<ProcessUsage> processes,
            String config, double brokerRecordsPerLogin) {
    }

    /**
     * One backlog: logins written while the pipeline was stopped, then caught up.
     *
     * @param eventTimeRate preloaded logins per second of event time
     * @param n raw logins preloaded
     * @param eventTimeSeconds the event time the backlog spans
     * @param catchUp the pipeline's run over it (all reflected, windows exact, throughput, CPU, memory)
     */
    public record BacklogResult(double eventTimeRate, long n, double eventTimeSeconds, ThroughputResult catchUp) {
    }

    /**
     * CPU and memory of one process during a run.
     *
     * @param name the process
     * @param cpuSeconds user + system CPU seconds during the run
     * @param cpuPercent average share of one core during the run
     * @param peakRssMb the process's peak resident set (VmHWM)
     */
    public record ProcessUsage(String name, double cpuSeconds, double cpuPercent, double peakRssMb) {
    }

    /**
     * End-to-end latency at one produce rate.
     *
     * @param rate logins/s produced
     * @param config {@code default} or what was tuned
     * @param samples probes measured
     * @param lost probes never seen within the wait
     * @param stats produce → stats record percentiles, ms
     * @param websocket produce → WebSocket frame percentiles, ms
     * @param achievedRate logins/s actually produced
     */
    public record LatencyResult(int rate, String config, long samples, long lost, Percentiles stats,
            Percentiles websocket, double achievedRate) {
    }

    /**
     * Percentiles in milliseconds.
     */
    public record Percentiles(double p50, double p95, double p99, double max, long count) {
    }

    /**
     * One JMH benchmark.
     *
     * @param benchmark its name, with parameters
     * @param nsPerOp average time
     * @param error the 99.9 % confidence half-width
     * @param bytesPerOp allocated bytes per operation ({@code -prof gc}), or -1
     * @param settings forks, warm-up and measurement iterations
     */
    public record MicroResult(String benchmark, double nsPerOp, double error, double bytesPerOp, String settings) {
    }

    /**
     * The archiver over what the pipeline phase wrote (issue #15).
     *
     * @param cleanLogins records of {@code user-login-clean} archived into {@code logins}
     * @param statsRecords records of {@code user-login-stats} archived into {@code state_windows}
     * @param deadLetters records of {@code user-login-dlq} archived into {@code dead_letters}
     * @param complete whether every record was committed to the lake within the timeout
     * @param exact whether the lake's logins per state (read back through the history API) equal the preload's
     * @param mismatch what differed, or null
     * @param seconds launch → the last row committed
     * @param overallRowsPerSec rows of all three tables / seconds
     * @param steadyLoginsPerSec logins committed per second from 20 % to 80 % of them
     * @param cpuSeconds the archiver's CPU time, startup included
     * @param cpuMicrosPerRow its CPU per row of all three tables
     * @param peakRssMb its peak resident memory
     * @param config what was configured
     */
    public record ArchiveResult(long cleanLogins, long statsRecords, long deadLetters, boolean complete,
            boolean exact, String mismatch, double seconds, double overallRowsPerSec, double steadyLoginsPerSec,
            double cpuSeconds, double cpuMicrosPerRow, double peakRssMb, String config) {
    }
}
