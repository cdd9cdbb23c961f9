package dev.loginpulse.broker;

import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs the whole pipeline on one machine: a real {@link KafkaBroker} in this JVM and the four services as child
 * processes (JVM jars or native executables built by Maven), each bound to 127.0.0.1. {@code ./run.sh} calls
 * {@link #main(String[])}; integration tests and benchmarks use {@link #start(Options)}.
 */
public final class Pipeline implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Options options;
    private final KafkaBroker broker;
    private final Map<Service, Process> processes = new EnumMap<>(Service.class);
    private final List<Instance> instances = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile boolean closing;
    /** The stats service's state directory variable; by default beside the embedded broker's data. */
    static final String STATS_STATE_DIR = "PULSE_STATS_STATE_DIR";

    private Pipeline(Options options, KafkaBroker broker) {
        this.options = options;
        this.broker = broker;
    }

    /** Starts the broker (unless {@link Options#externalBroker} is given) and the services, and waits until ready. */
    public static Pipeline start(Options options) {
        options.resolve();
        KafkaBroker broker = null;
        if (options.externalBootstrap == null) {
            KafkaBroker.Builder builder = KafkaBroker.builder().port(options.kafkaPort).partitions(options.partitions);
            options.brokerCustomizer.accept(builder);
            if (options.dataDir != null) {
                builder.dataDir(options.dataDir);
            }
            broker = builder.build().start();
        }
        Pipeline pipeline = new Pipeline(options, broker);
        try {
            for (Service service : options.services) {
                pipeline.startService(service);
            }
            pipeline.awaitReady(READY_TIMEOUT);
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return options.externalBootstrap != null ? options.externalBootstrap : broker.bootstrapServers();
    }

    /** The broker this pipeline started, or {@code null} if it uses an external one. */
    public KafkaBroker broker() {
        return broker;
    }

    /** {@code http://127.0.0.1:<port>} of a service. */
    public URI url(Service service) {
        return URI.create("http://127.0.0.1:" + options.port(service));
    }

    /** The log file of a service. */
    public Path log(Service service) {
        return options.logDir.resolve(service.moduleName() + ".log");
    }

    /** The running process of a service, or {@code null}. */
    public Process process(Service service) {
        return processes.get(service);
    }

    /** Starts (or restarts) one service as a child process. */
    public synchronized void startService(Service service) {
        Process running = processes.get(service);
        if (running != null && running.isAlive()) {
            throw new IllegalStateException(service.moduleName() + " is already running");
        }
        processes.put(service, launch(service, options.port(service), log(service), Map.of()));
    }

    /**
     * Starts one more instance of a service beside the one {@link #startService} runs, e.g. a second stats instance of
     * the same Kafka Streams application: its own process, HTTP port, log ({@code <name>.log}) and extra environment
     * (such as its own state directory). It is stopped by {@link Instance#stop()} or {@link #close()}.
     *
     * @param port its HTTP port; 0 picks a free one
     */
    public synchronized Instance startInstance(Service service, String name, int port, Map<String, String> env) {
        int actualPort = port == 0 ? KafkaBroker.freePort() : port;
        Path log = options.logDir.resolve(name + ".log");
        Instance instance = new Instance(name, actualPort, log, launch(service, actualPort, log, env));
        instances.add(instance);
        return instance;
    }

    private Process launch(Service service, int port, Path log, Map<String, String> extraEnv) {
        List<String> command = command(service, port);
        ProcessBuilder builder = new ProcessBuilder(command).directory(options.home.toFile());
        builder.redirectErrorStream(true);
        try {
            Files.createDirectories(options.logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        if (broker != null) {
            // the shell's KAFKA_* settings (another cluster, its credentials) do not leak into a run on our own broker
            env.keySet().removeIf(name -> name.startsWith("KAFKA_"));
        }
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        env.putAll(options.environment);
        env.putAll(options.serviceEnvironment.getOrDefault(service, Map.of()));
        env.putAll(extraEnv);
        if (service == Service.STATS && broker != null && !env.containsKey(STATS_STATE_DIR)) {
            // The stats state lives and dies with the broker's data: a fresh broker never meets an older run's state.
            env.put(STATS_STATE_DIR, broker.dataDir().resolve("stats-state").toString());
        }
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + String.join(" ", command), e);
        }
    }

    /**
     * Stops one service: SIGTERM, then SIGKILL after {@link #STOP_TIMEOUT}.
     *
     * @return true if it stopped by itself within the timeout (or was not running)
     */
    public synchronized boolean stopService(Service service) {
        Process process = processes.remove(service);
        return process == null || terminate(process);
    }

    /** Kills one service with SIGKILL, as a crash would, without waiting for it to clean up. */
    public synchronized void killService(Service service) {
        Process process = processes.remove(service);
        if (process != null) {
            process.destroyForcibly();
            waitFor(process, STOP_TIMEOUT);
        }
    }

    /** Waits until every running service answers {@code /q/health/ready} with 200. */
    public void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        for (Service service : options.services) {
            awaitReady(service, deadline);
        }
    }

    private void awaitReady(Service service, Instant deadline) {
        awaitReady(service.moduleName(), () -> processes.get(service), url(service), log(service), deadline);
    }

    private void awaitReady(String name, Supplier<Process> process, URI url, Path log, Instant deadline) {
        URI ready = url.resolve("/q/health/ready");
        HttpRequest request = HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build();
        do {
            Process running = process.get();
            if (running == null || !running.isAlive()) {
                throw new IllegalStateException(name + " exited before it was ready; see " + log + tail(log));
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
            pause(Duration.ofMillis(200));
        } while (Instant.now().isBefore(deadline));
        throw new IllegalStateException(name + " not ready at " + ready + " within " + READY_TIMEOUT + "; see " + log
                + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return "\n--- last lines of " + log + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private List<String> command(Service service, int port) {
        Path module = options.home.resolve("modules").resolve(service.moduleName()).resolve("target");
        List<String> command = new ArrayList<>();
        List<String> properties = List.of(
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port);
        if (options.mode == Mode.NATIVE) {
            Path runner = module.resolve(service.moduleName() + "-" + options.version + "-runner");
            requireFile(runner, "./mvnw -Dnative -DskipTests package");
            command.add(runner.toString());
            command.addAll(options.nativeArgs);
            command.addAll(properties);
        } else {
            Path jar = module.resolve("quarkus-app").resolve("quarkus-run.jar");
            requireFile(jar, "./mvnw -DskipTests package");
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(options.jvmArgs);
            command.addAll(properties);
            command.add("-jar");
            command.add(jar.toString());
        }
        return command;
    }

    private static void requireFile(Path file, String build) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " does not exist: build it with " + build);
        }
    }

    /** Stops the services (in reverse flow order), then the broker. */
    @Override
    public synchronized void close() {
        closing = true;
        for (Instance instance : instances) {
            instance.process.destroy();
        }
        for (Instance instance : instances) {
            terminate(instance.process);
        }
        instances.clear();
        // Every service still running, including those started by startService alone, in reverse flow order.
        List<Service> reverse = new ArrayList<>(List.of(Service.values()));
        Collections.reverse(reverse);
        for (Service service : reverse) {
            Process process = processes.get(service);
            if (process != null) {
                process.destroy();
            }
        }
        for (Service service : reverse) {
            Process process = processes.remove(service);
            if (process != null) {
                terminate(process);
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static boolean terminate(Process process) {
        process.destroy();
        if (waitFor(process, STOP_TIMEOUT)) {
            return true;
        }
        process.destroyForcibly();
        waitFor(process, STOP_TIMEOUT);
        return false;
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** A further instance of a service, from {@link #startInstance}. */
    public final class Instance {
        private final String name;
        private final int port;
        private final Path log;
        private final Process process;

        private Instance(String name, int port, Path log, Process process) {
            this.name = name;
            this.port = port;
            this.log = log;
            this.process = process;
        }

        /** {@code http://127.0.0.1:<port>}. */
        public URI url() {
            return URI.create("http://127.0.0.1:" + port);
        }

        public int port() {
            return port;
        }

        public Path log() {
            return log;
        }

        public Process process() {
            return process;
        }

        /** Waits until it answers {@code /q/health/ready} with 200. */
        public void awaitReady(Duration timeout) {
            Pipeline.this.awaitReady(name, () -> process, url(), log, Instant.now().plus(timeout));
        }

        /** SIGTERM, then SIGKILL after 30 s; true if it stopped by itself. */
        public boolean stop() {
            synchronized (Pipeline.this) {
                instances.remove(this);
            }
            return terminate(process);
        }
    }

    /** JVM jars or native executables. */
    public enum Mode {
        JVM,
        NATIVE
    }

    /** What to start and where. */
    public static final class Options {
        private Path home = Path.of("").toAbsolutePath();
        private Path logDir;
        private Path dataDir;
        private Mode mode = Mode.JVM;
        private String version = "1.0.0-SNAPSHOT";
        private int kafkaPort = KafkaBroker.DEFAULT_PORT;
        private int partitions = KafkaBroker.DEFAULT_PARTITIONS;
        private String externalBootstrap;
        private List<Service> services = List.of(Service.values());
        private final Map<Service, Integer> ports = new EnumMap<>(Service.class);
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final Map<Service, Map<String, String>> serviceEnvironment = new EnumMap<>(Service.class);
        private Consumer<KafkaBroker.Builder> brokerCustomizer = builder -> {
        };
        private List<String> jvmArgs = List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1");
        private List<String> nativeArgs = List.of();

        /** The repository root (holds {@code modules/}). */
        public Options home(Path home) {
            this.home = home.toAbsolutePath();
            return this;
        }

        /** Where services' logs go; default {@code <home>/target/pulse-run}. */
        public Options logDir(Path logDir) {
            this.logDir = logDir;
            return this;
        }

        /** Broker data kept across runs; default a temporary directory deleted at the end. */
        public Options dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Options mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        public Options version(String version) {
            this.version = version;
            return this;
        }

        /** Kafka port; 0 picks a free one. */
        public Options kafkaPort(int kafkaPort) {
            this.kafkaPort = kafkaPort;
            return this;
        }

        public Options partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** Adjusts the broker before it starts, e.g. {@link KafkaBroker.Builder#scramUser(String, String)}. */
        public Options broker(Consumer<KafkaBroker.Builder> customizer) {
            this.brokerCustomizer = customizer;
            return this;
        }

        /** Use a running broker instead of starting one. */
        public Options externalBroker(String bootstrapServers) {
            this.externalBootstrap = bootstrapServers;
            return this;
        }

        /** Which services to start, in this order. */
        public Options services(List<Service> services) {
            this.services = List.copyOf(services);
            return this;
        }

        /** The HTTP port of a service; 0 picks a free one. */
        public Options port(Service service, int port) {
            ports.put(service, port == 0 ? KafkaBroker.freePort() : port);
            return this;
        }

        /** An environment variable for every service, e.g. {@code PULSE_GENERATOR_RATE=0}. */
        public Options env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** An environment variable for one service; it wins over {@link #env(String, String)}. */
        public Options env(Service service, String name, String value) {
            serviceEnvironment.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(name, value);
            return this;
        }

        /** Removes a variable set with {@link #env(Service, String, String)}; takes effect on the next start. */
        public Options unsetEnv(Service service, String name) {
            serviceEnvironment.getOrDefault(service, new LinkedHashMap<>()).remove(name);
            return this;
        }

        /** JVM options of the services in JVM mode. */
        public Options jvmArgs(List<String> jvmArgs) {
            this.jvmArgs = List.copyOf(jvmArgs);
            return this;
        }

        /** Runtime options of the native executables, e.g. {@code -Xmx64m}. */
        public Options nativeArgs(List<String> nativeArgs) {
            this.nativeArgs = List.copyOf(nativeArgs);
            return this;
        }

        int port(Service service) {
            return ports.getOrDefault(service, service.defaultPort());
        }

        Options resolve() {
            if (logDir == null) {
                logDir = home.resolve("target").resolve("pulse-run");
            }
            return this;
        }
    }

    /**
     * {@code ./run.sh}: starts everything on the default ports, prints the dashboard URL and runs until SIGINT/SIGTERM.
     * Reads {@code PULSE_DATA_DIR} (keep broker data), {@code PULSE_MODE} ({@code jvm} or {@code native}),
     * {@code PULSE_PARTITIONS}, {@code PULSE_KAFKA_PORT}; every other variable passes through to the services.
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        Options options = new Options()
                .home(Path.of(System.getProperty("pulse.home", ".")))
                .version(System.getProperty("pulse.version", "1.0.0-SNAPSHOT"))
                .mode(Mode.valueOf(env.getOrDefault("PULSE_MODE", "jvm").toUpperCase(Locale.ROOT)))
                .partitions(Integer.parseInt(env.getOrDefault("PULSE_PARTITIONS",
                        String.valueOf(KafkaBroker.DEFAULT_PARTITIONS))))
                .kafkaPort(Integer.parseInt(env.getOrDefault("PULSE_KAFKA_PORT",
                        String.valueOf(KafkaBroker.DEFAULT_PORT))));
        if (env.containsKey("PULSE_DATA_DIR")) {
            options.dataDir(Path.of(env.get("PULSE_DATA_DIR")).toAbsolutePath());
        }
        if (env.containsKey("PULSE_EXTERNAL_KAFKA")) {
            options.externalBroker(env.get("PULSE_EXTERNAL_KAFKA"));
        }
        options.resolve();
        System.out.println("Starting Kafka and " + options.services.size() + " services (" + options.mode
                + "); logs in " + options.logDir);
        Pipeline pipeline;
        try {
            pipeline = start(options);
        } catch (RuntimeException e) {
            System.err.println("login-pulse did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Thread shutdown = new Thread(() -> {
            System.out.println("\nStopping login-pulse...");
            pipeline.close();
            System.out.println("Stopped.");
        }, "pipeline-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        System.out.println("Kafka:     " + pipeline.bootstrapServers());
        for (Service service : options.services) {
            System.out.printf("%-10s %s (Kafka %s)%n", service.moduleName() + ":", pipeline.url(service),
                    pipeline.bootstrapServers());
        }
        String dashboard = "http://localhost:" + options.port(Service.DASHBOARD);
        System.out.println("Dashboard: " + dashboard);
        System.out.println("Press Ctrl-C to stop.");
        if (!"false".equals(env.get("PULSE_OPEN_BROWSER"))) {
            openBrowser(dashboard);
        }
        Supervisor supervisor = new Supervisor(pipeline.supervised(), options.services,
                message -> System.out.println(Instant.now() + " " + message), reason -> {
                    System.err.println("login-pulse stops: " + reason);
                    System.exit(1); // the shutdown hook stops everything
                });
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "supervisor");
            thread.setDaemon(true);
            return thread;
        });
        ticks.scheduleWithFixedDelay(() -> supervisor.tick(Instant.now()), 1, 1, TimeUnit.SECONDS);
        Thread.currentThread().join();
    }

    /** Opens the dashboard in the desktop's browser where there is one; silently does nothing elsewhere. */
    private static void openBrowser(String url) {
        try {
            if (!GraphicsEnvironment.isHeadless() && Desktop.isDesktopSupported()
                    && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(URI.create(url));
            }
        } catch (IOException | RuntimeException | Error e) {
            // no desktop browser: the printed URL is enough
        }
    }

    /** True once {@link #close()} began. */
    public boolean stopping() {
        return closing;
    }

    /** Starts a service again whose process died or was killed (a dead process is replaced, a live one killed). */
    public synchronized void restartService(Service service) {
        Process old = processes.remove(service);
        if (old != null && old.isAlive()) {
            old.destroyForcibly();
            waitFor(old, STOP_TIMEOUT);
        }
        if (!closing) {
            startService(service);
        }
    }

    /** This pipeline's services as the {@link Supervisor} sees them. */
    public Supervisor.Supervised supervised() {
        return new Supervisor.Supervised() {
            @Override
            public Process process(Service service) {
                return Pipeline.this.process(service);
            }

            @Override
            public void restart(Service service) {
                restartService(service);
            }

            @Override
            public boolean live(Service service) {
                return Supervisor.live(http, url(service));
            }

            @Override
            public Path log(Service service) {
                return Pipeline.this.log(service);
            }

            @Override
            public boolean stopping() {
                return Pipeline.this.stopping();
            }
        };
    }
}
