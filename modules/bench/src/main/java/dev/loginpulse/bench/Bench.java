package dev.loginpulse.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;

import dev.loginpulse.bench.BenchOptions.Phase;
import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.devbroker.KafkaBrokerBuilder;
import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.Pipeline;

/**
 * The benchmark harness behind {@code ./bench.sh}: runs the chosen {@link Phase phases} on this machine and writes
 * {@code results.json}, {@code results.md} and {@code benchmarks.png} to the results directory (and, with
 * {@code --docs}, the generated part of {@code docs/benchmarks.md} and {@code docs/benchmarks.png}) with
 * {@link ResultFiles}. {@link ExitHook} stops a phase's child processes on Ctrl-C.
 */
public final class Bench {

    /** Where the results so far are saved after each phase ({@code results-partial.json}). */
    private static volatile Path partial;

    private Bench() {
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            Results results = run(options);
            System.exit(results.failures == 0 ? 0 : 1);
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Runs the phases and writes the results; returns them. */
    public static Results run(BenchOptions options) {
        Path out = options.out();
        partial = out.resolve("results-partial.json");
        try {
            Files.createDirectories(out);
            if (options.replot != null) {
                Results earlier = ResultFiles.read(options.replot);
                ResultFiles.write(options, earlier);
                return earlier;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Results results = options.merge != null ? ResultFiles.read(options.merge) : new Results();
        if (options.merge != null) {
            forget(results, options);
            results.notes.add("Phases " + options.phases + " re-run on " + today() + " (load average "
                    + Machine.loadAverage() + " before) and merged into an earlier run's results.");
        }
        results.environment = Machine.environment(versions());
        results.loadBefore = options.merge != null && results.loadBefore != null ? results.loadBefore
                : Machine.loadAverage();
        results.parameters.put("partitions", String.valueOf(options.partitions));
        results.parameters.put("n", String.valueOf(options.n));
        results.parameters.put("users", String.valueOf(options.users));
        System.out.printf("login-pulse bench: %s; %d cores, %s, %s; load %s%n", options.phases, results.environment
                .cores(), results.environment.memory(), results.environment.jdk(), results.loadBefore);
        if (options.runs(Phase.CEILING) || options.runs(Phase.PIPELINE) || options.runs(Phase.NATIVE)
                || options.runs(Phase.SPARK)) {
            try (KafkaBroker broker = tolerant(KafkaBroker.builder()).partitions(options.partitions).build().start()) {
                if (options.runs(Phase.CEILING)) {
                    phase("ceiling", results, () -> results.ceiling = Ceiling.run(broker, options.ceilingRecords,
                            options.recordSize, out.resolve("logs")));
                }
                if (options.runs(Phase.PIPELINE) || options.runs(Phase.NATIVE) || options.runs(Phase.SPARK)) {
                    throughput(options, broker, results);
                }
            }
        }
        if (options.runs(Phase.BACKLOG)) {
            for (int rate : options.backlogRates) {
                phase("backlog " + rate, results, () -> results.backlog.add(backlog(options, rate)));
            }
        }
        if (options.runs(Phase.LATENCY)) {
            phase("latency", results, () -> results.latency.addAll(Latency.run(options)));
        }
        if (options.runs(Phase.JMH)) {
            phase("jmh", results, () -> results.micro.addAll(Micro.run(options)));
        }
        results.loadAfter = Machine.loadAverage();
        System.out.println("Load average after: " + results.loadAfter);
        ResultFiles.write(options, results);
        return results;
    }

    /**
     * The bench's broker keeps its partitions when the machine is starved for CPU: KRaft's default broker session
     * (9 s) let the controller fence the broker, and with it every partition's leader, when a shared 2-core machine ran
     * at a load average of 75.
     */
    static KafkaBrokerBuilder tolerant(KafkaBrokerBuilder builder) {
        return builder.config("broker.session.timeout.ms", "60000");
    }

    /** Drops what the phases about to run will measure again. */
    private static void forget(Results results, BenchOptions options) {
        if (options.runs(Phase.CEILING)) {
            results.ceiling = null;
        }
        if (options.runs(Phase.PIPELINE) || options.runs(Phase.NATIVE) || options.runs(Phase.SPARK)) {
            // The preload is made again from the same seed: the same logins. Engines not re-run keep their figures.
            results.preload = null;
            results.throughput.removeIf(result -> options.runs(switch (result.engine()) {
                case "pipeline-jvm" -> Phase.PIPELINE;
                case "pipeline-native" -> Phase.NATIVE;
                default -> Phase.SPARK;
            }));
        }
        if (options.runs(Phase.BACKLOG)) {
            results.backlog.clear();
        }
        if (options.runs(Phase.ARCHIVE)) {
            results.archive = null;
        }
        if (options.runs(Phase.LATENCY)) {
            results.latency.clear();
        }
        if (options.runs(Phase.JMH)) {
            results.micro.clear();
        }
    }

    /**
     * A backlog on a fresh broker: {@code backlogN} logins preloaded at {@code rate} per second of event time (each
     * partition in event-time order) while nothing consumes them, then cleaner and stats (JVM) started. The cleaner
     * interleaves the raw partitions fetch by fetch, so at low densities clean records are far out of event-time
     * order: every window must still be exact.
     */
    private static Results.BacklogResult backlog(BenchOptions options, int rate) {
        try (KafkaBroker broker = tolerant(KafkaBroker.builder()).partitions(options.partitions).build().start()) {
            Preload.Preloaded preloaded = Preload.run(broker.bootstrapServers(), options.backlogN, rate);
            Throughput.Topics topics = new Throughput.Topics(Topics.USER_LOGIN_CLEAN, Topics.USER_LOGIN_DLQ,
                    Topics.USER_LOGIN_STATS);
            Results.ThroughputResult run = Throughput.measure("backlog-" + rate, broker, preloaded.expected(), topics,
                    true, PipelineEngine.launcher(options, broker, Pipeline.Mode.JVM), options.timeout,
                    PipelineEngine.config(options, Pipeline.Mode.JVM));
            return new Results.BacklogResult(rate, preloaded.result().n(), preloaded.result().eventTimeSeconds(), run);
        }
    }

    private static void throughput(BenchOptions options, KafkaBroker broker, Results results) {
        Preload.Preloaded preloaded = Preload.run(broker.bootstrapServers(), options.n, options.eventTimeRate,
                options.users);
        results.preload = preloaded.result();
        Expected expected = preloaded.expected();
        Throughput.Topics pipelineTopics = new Throughput.Topics(Topics.USER_LOGIN_CLEAN, Topics.USER_LOGIN_DLQ,
                Topics.USER_LOGIN_STATS);
        if (options.runs(Phase.PIPELINE)) {
            phase("pipeline", results, () -> results.throughput.add(Throughput.measure("pipeline-jvm", broker,
                    expected, pipelineTopics, true, PipelineEngine.launcher(options, broker, Pipeline.Mode.JVM),
                    options.timeout, PipelineEngine.config(options, Pipeline.Mode.JVM))));
        }
        if (options.runs(Phase.ARCHIVE)) {
            if (options.runs(Phase.PIPELINE)) {
                phase("archive", results, () -> results.archive = Archive.run(options, broker, expected));
            } else {
                String note = "Archive: not measured, it archives what the pipeline phase writes (--phases pipeline,archive).";
                System.out.println(note);
                results.notes.add(note);
            }
        }
        if (options.runs(Phase.NATIVE)) {
            if (PipelineEngine.nativeBuilt(options)) {
                phase("native", results, () -> results.throughput.add(Throughput.measure("pipeline-native", broker,
                        expected, pipelineTopics, true, PipelineEngine.launcher(options, broker, Pipeline.Mode.NATIVE),
                        options.timeout, PipelineEngine.config(options, Pipeline.Mode.NATIVE))));
            } else {
                String note = "Native: not measured, the native executables of cleaner and stats are not built"
                        + " (./mvnw package -Dnative -DskipTests -pl modules/cleaner,modules/stats).";
                System.out.println(note);
                results.notes.add(note);
            }
        }
        if (options.runs(Phase.SPARK)) {
            if (SparkEngine.javaAvailable(options)) {
                phase("spark", results, () -> {
                    String classpath = SparkEngine.build(options);
                    results.throughput.add(Throughput.measure("spark", broker, expected, SparkEngine.TOPICS, false,
                            SparkEngine.launcher(options, broker, classpath), options.timeout,
                            SparkEngine.config(options)));
                });
            } else {
                String note = "Spark: not measured, no JDK 17 at " + options.sparkJava + " (--spark-java).";
                System.out.println(note);
                results.notes.add(note);
            }
        }
    }

    /** Runs one phase; a failure is reported and noted, and the other phases still run. */
    private static void phase(String name, Results results, Runnable phase) {
        try {
            phase.run();
            if (partial != null) {
                ResultFiles.writePartial(partial, results);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            String note = "Phase " + name + " failed: " + e;
            System.out.println(note);
            e.printStackTrace(System.out);
            results.notes.add(note);
            results.failures++;
        }
    }

    /** Versions of the build, from {@code bench-versions.properties} (filtered by Maven). */
    static Properties versions() {
        Properties properties = new Properties();
        try (InputStream in = Bench.class.getResourceAsStream("/bench-versions.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    static List<String> javaCommand() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
