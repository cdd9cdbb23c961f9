package dev.loginpulse.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@link Bench} runs: the phases, their sizes and where results go. Parsed from the command line
 * ({@code --help} lists the flags).
 */
public final class BenchOptions {

    /** The phases, in the order they run. */
    public enum Phase {
        /** The broker's raw ceiling with Kafka's ProducerPerformance and ConsumerPerformance. */
        CEILING,
        /** N raw logins preloaded, then cleaner and stats (JVM) until the stats reflect all of them. */
        PIPELINE,
        /** The same preloaded topic through cleaner and stats as native executables, if they are built. */
        NATIVE,
        /**
         * Right after the pipeline phase, the archiver (JVM, one core) over what it wrote: clean logins, stats and
         * dead letters into a fresh Iceberg lake, checked against the preload through the history API.
         */
        ARCHIVE,
        /** The same preloaded topic through an Apache Spark Structured Streaming job (JDK 17). */
        SPARK,
        /**
         * A backlog: logins preloaded at each of {@code --backlog-rates} per second of event time while the pipeline
         * is stopped, then cleaner and stats (JVM) catch up; catch-up throughput and whether every window is exact.
         */
        BACKLOG,
        /** Produce → stats record and produce → dashboard WebSocket frame at fixed rates. */
        LATENCY,
        /** JMH micro-benchmarks of the cleaning function and the JSON serdes. */
        JMH
    }

    Path home = Path.of(System.getProperty("pulse.home", ".")).toAbsolutePath().normalize();
    String version = System.getProperty("pulse.version", "1.0.0-SNAPSHOT");
    Path out;
    Set<Phase> phases = EnumSet.of(Phase.CEILING, Phase.PIPELINE, Phase.ARCHIVE, Phase.NATIVE, Phase.SPARK,
            Phase.BACKLOG, Phase.LATENCY, Phase.JMH);
    long n = 2_000_000;
    int partitions = 3;
    long ceilingRecords = 2_000_000;
    int recordSize = 200;
    double eventTimeRate = 10_000;
    int users = Preload.USERS;
    long backlogN = 500_000;
    List<Integer> backlogRates = List.of(1_000, 10_000);
    List<Integer> rates = List.of(1_000, 5_000, 20_000, 50_000, 100_000);
    Duration latencyWarmup = Duration.ofSeconds(5);
    Duration latencyMeasure = Duration.ofSeconds(30);
    boolean latencyTuned = true;
    Duration timeout = Duration.ofMinutes(10);
    int jmhForks = 1;
    boolean updateDocs;
    boolean plot = true;
    boolean profile;
    Path replot;
    Path merge;
    List<String> serviceJvmArgs = List.of("-Xmx1g");
    /** JVM options of the archiver in the archive phase: by default the 256 MB heap ./run.sh gives every service. */
    List<String> archiverJvmArgs = List.of("-Xmx256m");
    /** Run-time options of the native executables in the throughput phase (none: their built-in defaults). */
    List<String> serviceNativeArgs = List.of();
    String sparkJava = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java";
    long sparkMaxOffsetsPerTrigger = 250_000;

    /** Options for a run of {@code home}'s packaged services. */
    public static BenchOptions defaults(Path home) {
        BenchOptions options = new BenchOptions();
        options.home = home.toAbsolutePath().normalize();
        return options;
    }

    public static BenchOptions parse(String... args) {
        BenchOptions options = new BenchOptions();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException(usage());
            }
            if (flag.equals("--docs")) {
                options.updateDocs = true;
                continue;
            }
            if (flag.equals("--no-plot")) {
                options.plot = false;
                continue;
            }
            if (flag.equals("--profile")) {
                options.profile = true;
                continue;
            }
            if (flag.equals("--no-tuned-latency")) {
                options.latencyTuned = false;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Missing value for " + flag + "\n" + usage());
            }
            String value = args[++i];
            switch (flag) {
                case "--n" -> options.n = parseCount(value);
                case "--phases" -> options.phases = parsePhases(value);
                case "--skip" -> options.phases.removeAll(parsePhases(value));
                case "--home" -> options.home = Path.of(value).toAbsolutePath().normalize();
                case "--out" -> options.out = Path.of(value).toAbsolutePath().normalize();
                case "--partitions" -> options.partitions = Integer.parseInt(value);
                case "--ceiling-records" -> options.ceilingRecords = parseCount(value);
                case "--record-size" -> options.recordSize = Integer.parseInt(value);
                case "--event-time-rate" -> options.eventTimeRate = Double.parseDouble(value);
                case "--rates" -> options.rates = parseRates(value);
                case "--users" -> options.users = (int) parseCount(value);
                case "--backlog-n" -> options.backlogN = parseCount(value);
                case "--backlog-rates" -> options.backlogRates = parseRates(value);
                case "--latency-warmup" -> options.latencyWarmup = Duration.ofSeconds(Long.parseLong(value));
                case "--latency-seconds" -> options.latencyMeasure = Duration.ofSeconds(Long.parseLong(value));
                case "--timeout" -> options.timeout = Duration.ofSeconds(Long.parseLong(value));
                case "--jmh-forks" -> options.jmhForks = Integer.parseInt(value);
                case "--service-jvm-args" -> options.serviceJvmArgs = List.of(value.trim().split("\\s+"));
                case "--archiver-jvm-args" -> options.archiverJvmArgs = List.of(value.trim().split("\\s+"));
                case "--service-native-args" -> options.serviceNativeArgs = value.isBlank() ? List.of()
                        : List.of(value.trim().split("\\s+"));
                case "--spark-java" -> options.sparkJava = value;
                case "--spark-max-offsets" -> options.sparkMaxOffsetsPerTrigger = parseCount(value);
                case "--replot" -> options.replot = Path.of(value).toAbsolutePath().normalize();
                case "--merge" -> options.merge = Path.of(value).toAbsolutePath().normalize();
                default -> throw new IllegalArgumentException("Unknown flag " + flag + "\n" + usage());
            }
        }
        return options;
    }

    static String usage() {
        return """
                Usage: ./bench.sh [flags]   (or java -jar modules/bench/target/bench.jar [flags])
                  --n 2000000               raw logins preloaded for the throughput phases (2,000,000)
                  --phases a,b,...          phases to run: ceiling,pipeline,archive,native,spark,backlog,latency,jmh (all)
                  --skip a,b,...            phases not to run
                  --docs                    write docs/benchmarks.png and the generated table in docs/benchmarks.md
                  --no-plot                 no PNG
                  --replot results.json     measure nothing: render an earlier run's results (table, PNG, --docs)
                  --merge results.json      start from an earlier run's results; the phases run now replace theirs
                  --profile                 JFR recordings of cleaner, stats and archiver in the throughput phases
                                            (results directory, jfr/; read with `jfr view hot-methods <file>`)
                  --out DIR                 results directory (modules/bench/target/bench)
                  --home DIR                repository root (.)
                  --partitions 3            partitions of every topic
                  --ceiling-records 2000000 records of the broker ceiling runs
                  --record-size 200         bytes per record of the broker ceiling runs
                  --event-time-rate 10000   preloaded logins per second of event time
                  --users 20000             distinct users in the preloaded logins (e.g. 1000000)
                  --backlog-n 500000        backlog phase: raw logins preloaded per event-time rate
                  --backlog-rates 1000,10000
                                            backlog phase: preloaded logins per second of event time
                  --rates 1000,5000,20000,50000,100000
                                            latency phase: produced logins per second
                  --latency-warmup 5        seconds per rate not measured
                  --latency-seconds 30      seconds per rate measured
                  --no-tuned-latency        skip the extra 5k/s run with 50 ms stats emit and dashboard broadcast intervals
                  --timeout 600             seconds an engine may take to reflect all N logins
                  --jmh-forks 1             JMH forks per benchmark
                  --service-jvm-args "-Xmx1g"   JVM options of cleaner and stats in JVM mode
                  --archiver-jvm-args "-Xmx256m"
                                            JVM options of the archiver in the archive phase (one core)
                  --service-native-args ""      run-time options of the native cleaner and stats, e.g. "-Xmn64m"
                  --spark-java PATH         a JDK 17 java for Spark (/usr/lib/jvm/java-17-openjdk-amd64/bin/java)
                  --spark-max-offsets 250000    Spark's maxOffsetsPerTrigger
                """;
    }

    private static long parseCount(String value) {
        return Long.parseLong(value.replace("_", "").replace(",", ""));
    }

    private static Set<Phase> parsePhases(String value) {
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        for (String name : value.split(",")) {
            if (!name.isBlank()) {
                phases.add(Phase.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            }
        }
        return phases;
    }

    private static List<Integer> parseRates(String value) {
        List<Integer> rates = new ArrayList<>();
        for (String rate : value.split(",")) {
            rates.add((int) parseCount(rate.trim()));
        }
        return List.copyOf(rates);
    }

    Path out() {
        return out != null ? out : home.resolve("modules/bench/target/bench");
    }

    boolean runs(Phase phase) {
        return phases.contains(phase);
    }

    // Setters for programmatic runs (the smoke test).

    public BenchOptions n(long n) {
        this.n = n;
        return this;
    }

    public BenchOptions phases(Set<Phase> phases) {
        this.phases = EnumSet.copyOf(phases);
        return this;
    }

    public BenchOptions out(Path out) {
        this.out = out;
        return this;
    }

    public BenchOptions ceilingRecords(long records) {
        this.ceilingRecords = records;
        return this;
    }

    public BenchOptions backlog(long n, List<Integer> rates) {
        this.backlogN = n;
        this.backlogRates = List.copyOf(rates);
        return this;
    }

    public BenchOptions rates(List<Integer> rates) {
        this.rates = List.copyOf(rates);
        return this;
    }

    public BenchOptions latency(Duration warmup, Duration measure) {
        this.latencyWarmup = warmup;
        this.latencyMeasure = measure;
        return this;
    }

    public BenchOptions latencyTuned(boolean tuned) {
        this.latencyTuned = tuned;
        return this;
    }

    public BenchOptions timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public BenchOptions version(String version) {
        this.version = version;
        return this;
    }
}
