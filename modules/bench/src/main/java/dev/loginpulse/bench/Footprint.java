package dev.loginpulse.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.launcher.Pipeline;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

/**
 * Startup and memory of the four services, JVM jars and native executables side by side in one run, on one in-process
 * broker:
 * <ul>
 * <li>size of what ships (the native executable; the JVM's {@code quarkus-app} folder, without the JDK);</li>
 * <li>time from exec to the first HTTP answer and to {@code /q/health/ready} answering 200, each service started alone
 * (median of {@code --runs});</li>
 * <li>RSS after {@code --idle} seconds idle;</li>
 * <li>RSS (mean and peak) and CPU of each service with the whole pipeline under {@code --rate} generated events/s.</li>
 * </ul>
 * Run it after {@code ./mvnw package} (and {@code -Dnative} for native): {@code java -cp
 * modules/bench/target/bench.jar dev.loginpulse.bench.Footprint [--modes jvm,native] [--rate 5000]}. It prints a
 * Markdown table ({@link FootprintTable}) and writes it to {@code target/footprint.md}; {@code docs/benchmarks.md}
 * records the last run.
 */
public final class Footprint {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final Path home;
    private final String version;
    private final KafkaBroker broker;
    private List<String> nativeArgs = List.of();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();

    /** Startup of one service, alone. */
    record Startup(long httpMillis, long readyMillis, long idleRssKb) {
    }

    /** One service under load. */
    record Load(long meanRssKb, long peakRssKb, double cpuPercent) {
    }

    private Footprint(Path home, String version, KafkaBroker broker) {
        this.home = home;
        this.version = version;
        this.broker = broker;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = flags(args);
        Path home = Path.of(flags.getOrDefault("home", ".")).toAbsolutePath().normalize();
        String version = flags.getOrDefault("version", "1.0.0-SNAPSHOT");
        List<Pipeline.Mode> modes = Stream.of(flags.getOrDefault("modes", "jvm,native").split(","))
                .map(mode -> Pipeline.Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT))).toList();
        List<Service> services = Stream.of(flags.getOrDefault("services", "generator,cleaner,stats,dashboard").split(","))
                .map(name -> Service.valueOf(name.trim().toUpperCase(Locale.ROOT))).toList();
        boolean withLoad = services.size() == Service.values().length;
        int runs = Integer.parseInt(flags.getOrDefault("runs", "3"));
        int idleSeconds = Integer.parseInt(flags.getOrDefault("idle", "10"));
        int rate = Integer.parseInt(flags.getOrDefault("rate", "5000"));
        int loadSeconds = Integer.parseInt(flags.getOrDefault("load", "30"));

        StringBuilder report = new StringBuilder();
        try (KafkaBroker broker = KafkaBroker.builder().build().start()) {
            Footprint footprint = new Footprint(home, version, broker);
            if (flags.containsKey("native-args")) {
                footprint.nativeArgs = List.of(flags.get("native-args").trim().split("\\s+"));
            }
            Map<Pipeline.Mode, Map<Service, Startup>> startups = new EnumMap<>(Pipeline.Mode.class);
            Map<Pipeline.Mode, Map<Service, Load>> loads = new EnumMap<>(Pipeline.Mode.class);
            for (Pipeline.Mode mode : modes) {
                Map<Service, Startup> byService = new EnumMap<>(Service.class);
                for (Service service : services) {
                    byService.put(service, footprint.startup(mode, service, runs, idleSeconds));
                }
                startups.put(mode, byService);
                // The load needs the whole pipeline.
                loads.put(mode, withLoad ? footprint.load(mode, rate, loadSeconds) : Map.of());
            }
            report.append(new FootprintTable(home, version).table(modes, services, startups, loads, runs, idleSeconds,
                    rate, loadSeconds));
        }
        System.out.println();
        System.out.println(report);
        Path out = home.resolve("target").resolve("footprint.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println("Written to " + out);
    }

    /** Starts a service alone {@code runs} times; the run with the median time to ready. */
    private Startup startup(Pipeline.Mode mode, Service service, int runs, int idleSeconds) {
        List<Startup> results = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            try (Pipeline pipeline = Pipeline.start(options(mode, List.of()))) {
                long start = System.nanoTime();
                pipeline.startService(service);
                Process process = pipeline.process(service);
                URI ready = pipeline.url(service).resolve("/q/health/ready");
                long httpAt = -1;
                long readyAt = -1;
                long deadline = start + READY_TIMEOUT.toNanos();
                while (readyAt < 0 && System.nanoTime() < deadline && process.isAlive()) {
                    int status = status(ready);
                    long now = System.nanoTime();
                    if (status > 0 && httpAt < 0) {
                        httpAt = now;
                    }
                    if (status == 200) {
                        readyAt = now;
                    } else {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                    }
                }
                if (readyAt < 0) {
                    throw new IllegalStateException(service.moduleName() + " (" + mode + ") was not ready within "
                            + READY_TIMEOUT + "; see " + pipeline.log(service));
                }
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(idleSeconds));
                long rss = status(process.pid(), "VmRSS");
                results.add(new Startup(TimeUnit.NANOSECONDS.toMillis(httpAt - start),
                        TimeUnit.NANOSECONDS.toMillis(readyAt - start), rss));
                System.out.printf("%-6s %-9s run %d: http %4d ms, ready %5d ms, idle RSS %4d MB%n", mode,
                        service.moduleName(), run + 1, results.getLast().httpMillis(), results.getLast().readyMillis(),
                        rss / 1024);
            }
        }
        results.sort((a, b) -> Long.compare(a.readyMillis(), b.readyMillis()));
        return results.get(results.size() / 2);
    }

    /** All four services with the generator at {@code rate}: RSS and CPU of each over {@code seconds}. */
    private Map<Service, Load> load(Pipeline.Mode mode, int rate, int seconds) {
        PipelineOptions options = options(mode, List.of(Service.values()))
                .env(Service.GENERATOR, "PULSE_GENERATOR_RATE", String.valueOf(rate));
        try (Pipeline pipeline = Pipeline.start(options)) {
            // Warm up: a JVM compiles its hot paths, stores and caches fill.
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(10));
            Map<Service, Long> cpuBefore = new EnumMap<>(Service.class);
            Map<Service, Long> rssSum = new EnumMap<>(Service.class);
            for (Service service : Service.values()) {
                cpuBefore.put(service, cpuTicks(pipeline.process(service).pid()));
                rssSum.put(service, 0L);
            }
            long started = System.nanoTime();
            for (int second = 0; second < seconds; second++) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                for (Service service : Service.values()) {
                    rssSum.merge(service, status(pipeline.process(service).pid(), "VmRSS"), Long::sum);
                }
                if (second % 10 == 9) {
                    System.out.printf("%-6s load %d ev/s: %d s%n", mode, rate, second + 1);
                }
            }
            double elapsedSeconds = (System.nanoTime() - started) / 1e9;
            Map<Service, Load> loads = new EnumMap<>(Service.class);
            for (Service service : Service.values()) {
                long pid = pipeline.process(service).pid();
                double cpu = (cpuTicks(pid) - cpuBefore.get(service)) / (double) CLOCK_TICKS_PER_SECOND
                        / elapsedSeconds * 100;
                loads.put(service, new Load(rssSum.get(service) / seconds, status(pid, "VmHWM"), cpu));
            }
            return loads;
        }
    }

    private PipelineOptions options(Pipeline.Mode mode, List<Service> services) {
        PipelineOptions options = new PipelineOptions()
                .home(home)
                .version(version)
                .mode(mode)
                .nativeArgs(nativeArgs)
                .logDir(home.resolve("target").resolve("footprint-logs"))
                .externalBroker(broker.bootstrapServers())
                .services(services)
                .env("PULSE_GENERATOR_RATE", "0")
                .env("PULSE_STATS_STATE_DIR", home.resolve("target").resolve("footprint-state-" + UUID.randomUUID())
                        .toString());
        for (Service service : Service.values()) {
            options.port(service, 0);
        }
        return options;
    }

    private int status(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A {@code kB} field of {@code /proc/<pid>/status}. */
    private static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
            throw new IllegalStateException(field + " not in /proc/" + pid + "/status");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** User plus system CPU time of a process, in clock ticks. */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After "pid (comm) ": state is field 3, so utime (14) and stime (15) are at 11 and 12.
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> flags(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Expected --flag value pairs, got " + args[i]);
            }
            flags.put(args[i].substring(2), args[i + 1]);
        }
        return flags;
    }
}
