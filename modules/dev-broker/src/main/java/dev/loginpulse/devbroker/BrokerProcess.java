package dev.loginpulse.devbroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;

/**
 * A {@link KafkaBroker} built with {@link KafkaBrokerBuilder#childProcess(boolean)}: {@code kafka.Kafka} in a JVM of
 * its own, its output in {@code broker.log} of the data directory, stopped with SIGTERM or killed with SIGKILL.
 */
final class BrokerProcess {

    private final Process process;
    private final Path log;

    private BrokerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** {@code kafka.Kafka} on the server configuration, in a JVM of its own with this JVM's class path. */
    static BrokerProcess launch(Path dataDir, Map<String, String> serverConfig) {
        Path properties = dataDir.resolve("server.properties");
        Path log = dataDir.resolve("broker.log");
        try {
            Files.createDirectories(dataDir);
            try (var writer = Files.newBufferedWriter(properties)) {
                BrokerConfig.toProperties(serverConfig).store(writer, "login-pulse child broker");
            }
            String java = ProcessHandle.current().info().command().orElse("java");
            Process started = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    "kafka.Kafka", properties.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            // never outlive this JVM, whatever way it ends
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "broker-process-reaper"));
            return new BrokerProcess(started, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a broker process in " + dataDir, e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /**
     * Waits until the broker process answers an admin client of {@code admins} (closed after), or fails with its
     * log's path.
     */
    void awaitAnswering(Supplier<Admin> admins) {
        Instant deadline = Instant.now().plus(KafkaBroker.READY_TIMEOUT);
        try (Admin admin = admins.get()) {
            Exception last = null;
            do {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The broker process exited with " + process.exitValue() + "; see "
                            + log);
                }
                try {
                    admin.describeCluster().clusterId().get(2, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
            } while (Instant.now().isBefore(deadline));
            throw new IllegalStateException("The broker process did not answer in " + KafkaBroker.READY_TIMEOUT
                    + "; see " + log, last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the broker process", e);
        }
    }

    /** Sends SIGTERM (Kafka's controlled shutdown) without waiting for the process to exit. */
    void requestStop() {
        process.destroy();
    }

    /** Sends SIGTERM (Kafka's controlled shutdown) and waits for the process to exit. */
    void stop() {
        process.destroy();
        awaitExit();
    }

    /**
     * Waits up to {@code grace} for the process to exit after {@link #requestStop()}, then sends SIGKILL; true if it
     * exited by itself.
     */
    boolean awaitStop(Duration grace) {
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the broker process", e);
        }
        kill();
        return false;
    }

    /** The last {@code lines} lines of the broker's log, or why they cannot be read. */
    String logTail(int lines) {
        try (Stream<String> all = Files.lines(log, StandardCharsets.UTF_8)) {
            Deque<String> kept = new ArrayDeque<>(lines);
            all.forEach(line -> {
                if (kept.size() == lines) {
                    kept.removeFirst();
                }
                kept.addLast(line);
            });
            return String.join(System.lineSeparator(), kept);
        } catch (IOException | UncheckedIOException e) {
            return "(" + log + " cannot be read: " + e + ")";
        }
    }

    /** Sends SIGKILL, as a crash would, and waits for the process to exit. */
    void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(KafkaBroker.READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(KafkaBroker.READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the broker process", e);
        }
    }
}
