package dev.loginpulse.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A further instance of a service, from {@link Pipeline#startInstance}: its own process, HTTP port and log. It is
 * stopped by {@link #stop()} or with its pipeline.
 */
public final class ServiceInstance {
    private final Pipeline pipeline;
    private final ServiceProcesses processes;
    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    ServiceInstance(Pipeline pipeline, ServiceProcesses processes, String name, int port, Path log, Process process) {
        this.pipeline = pipeline;
        this.processes = processes;
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
        processes.awaitReady(name, () -> process, url(), log, Instant.now().plus(timeout));
    }

    /** SIGTERM, then SIGKILL after 30 s; true if it stopped by itself. */
    public boolean stop() {
        pipeline.forget(this);
        return ServiceProcesses.terminate(process);
    }
}
