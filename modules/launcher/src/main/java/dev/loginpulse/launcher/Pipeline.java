package dev.loginpulse.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.devbroker.KafkaBrokerBuilder;
import dev.loginpulse.devbroker.KafkaCluster;

/**
 * Runs the whole pipeline on one machine: a real {@link KafkaBroker} in this JVM, or a {@link KafkaCluster} of several
 * nodes (unless {@link PipelineOptions#externalBroker} names another Kafka) and the four services as child processes (JVM jars
 * or native
 * executables built by Maven), each bound to 127.0.0.1. {@link PipelineOptions} says what to start;
 * {@link ServiceProcesses} launches, awaits and stops the processes. {@code ./run.sh} runs it through
 * {@link Launcher#main(String[])}; integration tests and benchmarks use {@link #start(PipelineOptions)}.
 */
public final class Pipeline implements AutoCloseable {

    /** The dashboard's {@code pulse.dashboard.ops.services}: which services' metrics its operations view reads. */
    public static final String OPS_SERVICES = "PULSE_DASHBOARD_OPS_SERVICES";

    /** The dashboard's {@code pulse.dashboard.archiver-url}: where its history view's queries are forwarded. */
    public static final String ARCHIVER_URL = "PULSE_DASHBOARD_ARCHIVER_URL";

    private final PipelineOptions options;
    private final KafkaBroker broker;
    private final KafkaCluster cluster;
    private final ServiceProcesses serviceProcesses;
    private final Map<Service, Process> processes = new EnumMap<>(Service.class);
    private final List<ServiceInstance> instances = new ArrayList<>();
    private volatile boolean closing;

    private Pipeline(PipelineOptions options, KafkaBroker broker, KafkaCluster cluster) {
        this.options = options;
        this.broker = broker;
        this.cluster = cluster;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Path kafkaDataDir = broker != null ? broker.dataDir() : cluster != null ? cluster.node(1).dataDir() : null;
        this.serviceProcesses = new ServiceProcesses(options, kafkaDataDir, bootstrapServers(), http);
    }

    /** Starts the broker (unless {@link PipelineOptions#externalBroker} is given) and the services; waits until ready. */
    public static Pipeline start(PipelineOptions options) {
        options.resolve();
        KafkaBroker broker = null;
        KafkaCluster cluster = null;
        if (options.externalBootstrap == null && options.brokers > 1) {
            KafkaCluster.Builder builder = KafkaCluster.builder().nodes(options.brokers).partitions(options.partitions)
                    .firstPort(options.kafkaPort);
            if (options.dataDir != null) {
                builder.dataDir(options.dataDir);
            }
            cluster = builder.build().start();
        } else if (options.externalBootstrap == null) {
            KafkaBrokerBuilder builder = KafkaBroker.builder().port(options.kafkaPort).partitions(options.partitions);
            if (options.acls) {
                builder.acls(ServiceAcls.bindings());
            }
            options.brokerCustomizer.accept(builder);
            if (options.dataDir != null) {
                builder.dataDir(options.dataDir);
            }
            broker = builder.build().start();
        }
        Pipeline pipeline = new Pipeline(options, broker, cluster);
        try {
            for (Service service : options.services) {
                pipeline.startService(service);
            }
            pipeline.awaitReady(ServiceProcesses.READY_TIMEOUT);
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return options.externalBootstrap != null ? options.externalBootstrap
                : cluster != null ? cluster.bootstrapServers() : broker.bootstrapServers();
    }

    /** The broker this pipeline started, or {@code null} if it uses an external one or a cluster. */
    public KafkaBroker broker() {
        return broker;
    }

    /** The cluster this pipeline started ({@link PipelineOptions#brokers(int)} above 1), or {@code null}. */
    public KafkaCluster cluster() {
        return cluster;
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
        processes.put(service, serviceProcesses.launch(service, options.port(service), log(service),
                service == Service.DASHBOARD ? dashboardEnvironment() : Map.of()));
    }

    /**
     * The dashboard's operations view scrapes the metrics of the other services this pipeline runs, on their real
     * ports ({@code none} if it runs none of them), unless the options set {@link #OPS_SERVICES} themselves; its
     * history view asks the archiver this pipeline runs ({@link #ARCHIVER_URL}), unless the options set it.
     */
    private Map<String, String> dashboardEnvironment() {
        Map<String, String> environment = new HashMap<>();
        if (!setByOptions(OPS_SERVICES)) {
            String services = options.services.stream().filter(service -> service != Service.DASHBOARD)
                    .map(service -> service.moduleName() + "=" + url(service)).collect(Collectors.joining(","));
            environment.put(OPS_SERVICES, services.isEmpty() ? "none" : services);
        }
        if (!setByOptions(ARCHIVER_URL) && options.services.contains(Service.ARCHIVER)) {
            environment.put(ARCHIVER_URL, url(Service.ARCHIVER).toString());
        }
        return environment;
    }

    private boolean setByOptions(String name) {
        return options.environment.containsKey(name)
                || options.serviceEnvironment.getOrDefault(Service.DASHBOARD, Map.of()).containsKey(name);
    }

    /**
     * Starts one more instance of a service beside the one {@link #startService} runs, e.g. a second stats instance of
     * the same Kafka Streams application: its own process, HTTP port, log ({@code <name>.log}) and extra environment
     * (such as its own state directory). It is stopped by {@link ServiceInstance#stop()} or {@link #close()}.
     *
     * @param port its HTTP port; 0 picks a free one
     */
    public synchronized ServiceInstance startInstance(Service service, String name, int port, Map<String, String> env) {
        int actualPort = port == 0 ? KafkaBroker.freePort() : port;
        Path log = options.logDir.resolve(name + ".log");
        ServiceInstance instance = new ServiceInstance(this, serviceProcesses, name, actualPort, log,
                serviceProcesses.launch(service, actualPort, log, env));
        instances.add(instance);
        return instance;
    }

    /** An instance stopped by itself: {@link #close()} no longer stops it. */
    synchronized void forget(ServiceInstance instance) {
        instances.remove(instance);
    }

    /**
     * Stops one service: SIGTERM, then SIGKILL after {@link ServiceProcesses#STOP_TIMEOUT}.
     *
     * @return true if it stopped by itself within the timeout (or was not running)
     */
    public synchronized boolean stopService(Service service) {
        Process process = processes.remove(service);
        return process == null || ServiceProcesses.terminate(process);
    }

    /** Kills one service with SIGKILL, as a crash would, without waiting for it to clean up. */
    public synchronized void killService(Service service) {
        Process process = processes.remove(service);
        if (process != null) {
            process.destroyForcibly();
            ServiceProcesses.waitFor(process, ServiceProcesses.STOP_TIMEOUT);
        }
    }

    /** Starts a service again whose process died or was killed (a dead process is replaced, a live one killed). */
    public synchronized void restartService(Service service) {
        Process old = processes.remove(service);
        if (old != null && old.isAlive()) {
            old.destroyForcibly();
            ServiceProcesses.waitFor(old, ServiceProcesses.STOP_TIMEOUT);
        }
        if (!closing) {
            startService(service);
        }
    }

    /** Waits until every running service answers {@code /q/health/ready} with 200. */
    public void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        for (Service service : options.services) {
            serviceProcesses.awaitReady(service.moduleName(), () -> processes.get(service), url(service), log(service),
                    deadline);
        }
    }

    /** True once {@link #close()} began. */
    public boolean stopping() {
        return closing;
    }

    /** Stops the services (in reverse flow order), then the broker. */
    @Override
    public synchronized void close() {
        closing = true;
        for (ServiceInstance instance : instances) {
            instance.process().destroy();
        }
        for (ServiceInstance instance : instances) {
            ServiceProcesses.terminate(instance.process());
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
                ServiceProcesses.terminate(process);
            }
        }
        if (broker != null) {
            broker.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** JVM jars or native executables. */
    public enum Mode {
        JVM,
        NATIVE
    }
}
