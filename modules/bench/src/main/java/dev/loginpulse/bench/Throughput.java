package dev.loginpulse.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.devbroker.TopicClient;

/**
 * Measures one engine over the preloaded topic: launch, then poll until the engine's stats topic reflects every
 * preloaded login (the sum of its latest (state, window) counts equals the expected one, and for an engine with
 * running totals, their sum equals the clean count), with a progress line every two seconds; CPU and peak RSS of the
 * engine's processes.
 */
final class Throughput {

    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration STALL = Duration.ofSeconds(60);

    private Throughput() {
    }

    /** A running engine. */
    interface Engine extends AutoCloseable {
        /** Its processes, by name. */
        Map<String, Long> pids();

        /** Whether all its processes still run. */
        boolean alive();

        @Override
        void close();
    }

    /** Starts an engine. */
    interface Launcher {
        /** Readies the broker for the engine (topics, groups); not measured. */
        void prepare();

        /** Starts the engine; may block until it is ready. */
        Engine launch();
    }

    /**
     * Topics an engine reads and writes.
     *
     * @param clean its clean logins
     * @param deadLetters its dead letters
     * @param stats its per-state window stats
     */
    record Topics(String clean, String deadLetters, String stats) {
    }

    static Results.ThroughputResult measure(String engineName, KafkaBroker broker, Expected expected, Topics topics,
            boolean hasTotals, Launcher launcher, Duration timeout, String config) {
        long n = expected.raw();
        System.out.printf("Throughput: %s over %,d preloaded logins (%s)%n", engineName, n, config);
        launcher.prepare();
        try (StatsWatcher watcher = new StatsWatcher(broker.bootstrapServers(), topics.stats());
                Admin admin = broker.admin()) {
            long recordsBefore = allRecords(admin);
            long t0 = System.nanoTime();
            List<ProcessMeter> meters = new ArrayList<>();
            ProcessMeter harness = new ProcessMeter("broker + harness", ProcessHandle.current().pid());
            Engine launched = ExitHook.closeOnExit(launcher.launch());
            try (Engine engine = launched) {
                for (Map.Entry<String, Long> process : engine.pids().entrySet()) {
                    meters.add(ProcessMeter.sinceStart(process.getKey(), process.getValue(), t0));
                }
                meters.add(harness);
                double readySeconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("  %s launched, %.1f s%n", engineName, readySeconds);
                long firstOutput = 0;
                long lastPrint = System.nanoTime();
                long lastMeter = 0;
                long lastReflected = 0;
                boolean complete = false;
                long deadline = t0 + timeout.toNanos();
                while (true) {
                    long now = System.nanoTime();
                    if (firstOutput == 0 && endOffsets(admin, topics.clean()) > 0) {
                        firstOutput = now;
                    }
                    if (isComplete(watcher, expected, hasTotals)) {
                        complete = true;
                        break;
                    }
                    if (!engine.alive()) {
                        System.out.println("  " + engineName + " exited before it was done");
                        break;
                    }
                    if (now > deadline) {
                        System.out.println("  timeout: " + engineName + " did not reflect all logins in " + timeout);
                        break;
                    }
                    if (watcher.lastChangeNanos() > 0 && now - watcher.lastChangeNanos() > STALL.toNanos()) {
                        System.out.println("  stalled: no change in " + STALL + "; the stats will not reflect all");
                        break;
                    }
                    if (now - lastMeter > 1_000_000_000L) {
                        meters.forEach(ProcessMeter::sample);
                        lastMeter = now;
                    }
                    if (now - lastPrint >= Progress.INTERVAL_MS * 1_000_000L) {
                        long reflected = reflected(watcher, expected);
                        double rate = (reflected - lastReflected) / ((now - lastPrint) / 1e9);
                        System.out.printf("  [%s %5.1fs] cleaned+dead-lettered %s of %s | stats reflect %s (%4.1f %%) |"
                                + " %s logins/s%n", engineName, (now - t0) / 1e9,
                                Progress.count(endOffsets(admin, topics.clean())
                                        + endOffsets(admin, topics.deadLetters())),
                                Progress.count(n), Progress.count(reflected), 100.0 * reflected / n,
                                Progress.count(rate));
                        lastPrint = now;
                        lastReflected = reflected;
                    }
                    pause(POLL);
                }
                List<Results.ProcessUsage> usage = meters.stream().map(ProcessMeter::usage).toList();
                long done = watcher.nanosWhenWindowLoginsReached(expected.windowLogins());
                if (!complete || done == 0) {
                    done = watcher.lastChangeNanos();
                }
                // The latest figures of every window settle within an emit interval or two of the totals.
                int mismatches = watcher.mismatches(expected);
                for (long settle = System.nanoTime() + 5_000_000_000L; mismatches > 0
                        && System.nanoTime() < settle; mismatches = watcher.mismatches(expected)) {
                    pause(POLL);
                }
                if (mismatches > 0) {
                    System.out.println("  windows differing from the expected figures: " + mismatches + ", e.g. "
                            + watcher.mismatchExamples(expected, 3));
                }
                double seconds = (done - t0) / 1e9;
                long t20 = watcher.nanosWhenWindowLoginsReached((long) (expected.windowLogins() * 0.2));
                long t80 = watcher.nanosWhenWindowLoginsReached((long) (expected.windowLogins() * 0.8));
                double steady = t80 > t20 && t20 > 0 ? 0.6 * n / ((t80 - t20) / 1e9) : 0;
                long cleanOut = endOffsets(admin, topics.clean());
                long deadOut = endOffsets(admin, topics.deadLetters());
                double recordsPerLogin = (double) (allRecords(admin) - recordsBefore) / n;
                Results.ThroughputResult result = new Results.ThroughputResult(engineName, complete,
                        mismatches == 0, mismatches, cleanOut, deadOut, watcher.totalLogins(),
                        firstOutput == 0 ? 0 : (firstOutput - t0) / 1e9, seconds, complete ? n / seconds : 0, steady,
                        usage, config, recordsPerLogin);
                System.out.printf("  %s: %s in %.1f s (first clean record after %.1f s): %,.0f logins/s overall,"
                        + " %,.0f logins/s steady; clean %,d (expected %,d), dead-lettered %,d (expected %,d),"
                        + " windows exact: %s; broker records per login %.2f%n", engineName,
                        complete ? "all reflected" : "INCOMPLETE", seconds, result.firstOutputSeconds(),
                        result.overallPerSec(), steady, cleanOut, expected.clean(), deadOut, expected.deadLettered(),
                        mismatches == 0, recordsPerLogin);
                for (Results.ProcessUsage process : usage) {
                    System.out.printf("    %-18s CPU %6.1f s (%5.1f %% of one core), peak RSS %,.0f MB%n",
                            process.name(), process.cpuSeconds(), process.cpuPercent(), process.peakRssMb());
                }
                return result;
            } finally {
                ExitHook.closed(launched);
            }
        }
    }

    private static boolean isComplete(StatsWatcher watcher, Expected expected, boolean hasTotals) {
        return watcher.windowLogins() >= expected.windowLogins()
                && (!hasTotals || watcher.totalLogins() >= expected.clean());
    }

    /** Raw logins the stats reflect, estimated from the window counts. */
    private static long reflected(StatsWatcher watcher, Expected expected) {
        if (expected.windowLogins() == 0) {
            return 0;
        }
        return Math.round((double) watcher.windowLogins() / expected.windowLogins() * expected.raw());
    }

    /**
     * Records in every topic of the broker, internal ones included: the sum of all partitions' end offsets (which
     * count transaction markers too). The difference over a run is what the engine made the broker write.
     */
    static long allRecords(Admin admin) {
        try {
            long total = 0;
            for (String topic : admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                    .get(30, TimeUnit.SECONDS)) {
                total += endOffsets(admin, topic);
            }
            return total;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot list the broker's topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** Records in a topic: the sum of its partitions' end offsets. */
    static long endOffsets(Admin admin, String topic) {
        try {
            return TopicClient.endOffsets(admin, topic);
        } catch (RuntimeException e) {
            return 0; // not created yet, or the broker busy: the next progress line tries again
        }
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
