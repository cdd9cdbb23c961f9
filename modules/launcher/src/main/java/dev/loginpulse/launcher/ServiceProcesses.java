package dev.loginpulse.launcher;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How a {@link Pipeline}'s services run as child processes: the command of a packaged service (its JVM jar or native
 * executable) and its environment, waiting until a process answers {@code /q/health/ready}, and stopping one.
 */
final class ServiceProcesses {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** The stats service's state directory variable; by default beside the embedded broker's data. */
    static final String STATS_STATE_DIR = "PULSE_STATS_STATE_DIR";
    /** The archiver's warehouse variable; by default beside the embedded broker's data. */
    static final String ARCHIVER_WAREHOUSE = "PULSE_ARCHIVER_WAREHOUSE";

    private final PipelineOptions options;
    /** The data directory of the Kafka this pipeline started (its first node's), or {@code null} with an external one. */
    private final Path kafkaDataDir;
    private final String bootstrapServers;
    private final HttpClient http;

    ServiceProcesses(PipelineOptions options, Path kafkaDataDir, String bootstrapServers, HttpClient http) {
        this.options = options;
        this.kafkaDataDir = kafkaDataDir;
        this.bootstrapServers = bootstrapServers;
        this.http = http;
    }

    /** Starts a service's process on an HTTP port, appending its output to {@code log}. */
    Process launch(Service service, int port, Path log, Map<String, String> extraEnv) {
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
        if (kafkaDataDir != null) {
            // the shell's KAFKA_* settings (another cluster, its credentials) do not leak into a run on our own broker
            env.keySet().removeIf(name -> name.startsWith("KAFKA_"));
        }
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.putAll(options.environment);
        env.putAll(options.serviceEnvironment.getOrDefault(service, Map.of()));
        env.putAll(extraEnv);
        if (service == Service.STATS && kafkaDataDir != null && !env.containsKey(STATS_STATE_DIR)) {
            // The stats state lives and dies with the broker's data: a fresh broker never meets an older run's state.
            env.put(STATS_STATE_DIR, kafkaDataDir.resolve("stats-state").toString());
        }
        if (service == Service.ARCHIVER && kafkaDataDir != null && !env.containsKey(ARCHIVER_WAREHOUSE)) {
            // The lake records Kafka offsets: it lives and dies with the broker's data too (PULSE_DATA_DIR=.pulse-data
            // keeps both, the lake in .pulse-data/lake); with an external Kafka the archiver's default applies.
            env.put(ARCHIVER_WAREHOUSE, kafkaDataDir.resolve("lake").toString());
        }
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + String.join(" ", command), e);
        }
    }

    /**
     * Waits until {@code url} answers {@code /q/health/ready} with 200; fails with the tail of {@code log} if the
     * process exits first or the deadline passes.
     */
    void awaitReady(String name, Supplier<Process> process, URI url, Path log, Instant deadline) {
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
        if (options.mode == Pipeline.Mode.NATIVE && service.nativeExecutable()) {
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

    /**
     * SIGTERM, then SIGKILL after {@link #STOP_TIMEOUT}.
     *
     * @return true if it stopped by itself within the timeout
     */
    static boolean terminate(Process process) {
        process.destroy();
        if (waitFor(process, STOP_TIMEOUT)) {
            return true;
        }
        process.destroyForcibly();
        waitFor(process, STOP_TIMEOUT);
        return false;
    }

    static boolean waitFor(Process process, Duration timeout) {
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
}
