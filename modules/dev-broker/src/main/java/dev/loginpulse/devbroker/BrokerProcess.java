package dev.loginpulse.devbroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

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
        awaitExit(KafkaBroker.READY_TIMEOUT);
    }

    /** Sends SIGKILL, as a crash would, and waits for the process to exit. */
    void kill() {
        process.destroyForcibly();
        awaitExit(KafkaBroker.READY_TIMEOUT);
    }

    /**
     * Waits up to {@code bound} for the process to exit (after {@link #requestStop()}, say), else SIGKILLs it; true if
     * it exited within the bound.
     */
    boolean awaitExit(Duration bound) {
        try {
            if (process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            process.destroyForcibly().waitFor(KafkaBroker.READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the broker process", e);
        }
    }
}
