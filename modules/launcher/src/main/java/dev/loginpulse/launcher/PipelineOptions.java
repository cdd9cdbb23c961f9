package dev.loginpulse.launcher;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.devbroker.KafkaBrokerBuilder;
import dev.loginpulse.devbroker.KafkaCluster;

/** What a {@link Pipeline} starts and where: {@code new PipelineOptions().services(...).env(...)}. */
public final class PipelineOptions {
    Path home = Path.of("").toAbsolutePath();
    Path logDir;
    Path dataDir;
    Pipeline.Mode mode = Pipeline.Mode.JVM;
    String version = "1.0.0-SNAPSHOT";
    int kafkaPort = KafkaBroker.DEFAULT_PORT;
    int partitions = KafkaBroker.DEFAULT_PARTITIONS;
    int brokers = 1;
    boolean acls;
    String externalBootstrap;
    List<Service> services = List.of(Service.values());
    private final Map<Service, Integer> ports = new EnumMap<>(Service.class);
    final Map<String, String> environment = new LinkedHashMap<>();
    final Map<Service, Map<String, String>> serviceEnvironment = new EnumMap<>(Service.class);
    Consumer<KafkaBrokerBuilder> brokerCustomizer = builder -> {
    };
    List<String> jvmArgs = List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1");
    List<String> nativeArgs = List.of();

    /** The repository root (holds {@code modules/}). */
    public PipelineOptions home(Path home) {
        this.home = home.toAbsolutePath();
        return this;
    }

    /** Where services' logs go; default {@code <home>/target/pulse-run}. */
    public PipelineOptions logDir(Path logDir) {
        this.logDir = logDir;
        return this;
    }

    /** Broker data kept across runs; default a temporary directory deleted at the end. */
    public PipelineOptions dataDir(Path dataDir) {
        this.dataDir = dataDir;
        return this;
    }

    public PipelineOptions mode(Pipeline.Mode mode) {
        this.mode = mode;
        return this;
    }

    public PipelineOptions version(String version) {
        this.version = version;
        return this;
    }

    /** Kafka port; 0 picks a free one. */
    public PipelineOptions kafkaPort(int kafkaPort) {
        this.kafkaPort = kafkaPort;
        return this;
    }

    public PipelineOptions partitions(int partitions) {
        this.partitions = partitions;
        return this;
    }

    /** Adjusts the broker before it starts, e.g. {@link KafkaBrokerBuilder#scramUser(String, String)}. */
    public PipelineOptions broker(Consumer<KafkaBrokerBuilder> customizer) {
        this.brokerCustomizer = customizer;
        return this;
    }

    /**
     * Authorization on the one broker this pipeline starts (not a cluster, not an external Kafka): the {@link ServiceAcls}
     * (each service only its own topics,
     * groups and transactional ids), everything else denied. The broker's client listener must authenticate each
     * service as its {@link ServiceAcls#principal(Service) principal}: SCRAM users or client certificates, given with
     * {@link #broker(Consumer)} and each service's credentials with {@link #env(Service, String, String)}.
     */
    public PipelineOptions acls(boolean acls) {
        this.acls = acls;
        return this;
    }

    /**
     * How many Kafka nodes to start: 1 (the default) is one in-process broker; more is a {@link KafkaCluster} of child
     * JVMs on consecutive client ports from {@link #kafkaPort(int)}, every topic with one replica per node.
     */
    public PipelineOptions brokers(int brokers) {
        if (brokers < 1) {
            throw new IllegalArgumentException("PULSE_BROKERS must be at least 1, not " + brokers);
        }
        this.brokers = brokers;
        return this;
    }

    /** Use a running broker instead of starting one. */
    public PipelineOptions externalBroker(String bootstrapServers) {
        this.externalBootstrap = bootstrapServers;
        return this;
    }

    /** Which services to start, in this order. */
    public PipelineOptions services(List<Service> services) {
        this.services = List.copyOf(services);
        return this;
    }

    /** The HTTP port of a service; 0 picks a free one. */
    public PipelineOptions port(Service service, int port) {
        ports.put(service, port == 0 ? KafkaBroker.freePort() : port);
        return this;
    }

    /** An environment variable for every service, e.g. {@code PULSE_GENERATOR_RATE=0}. */
    public PipelineOptions env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** An environment variable for one service; it wins over {@link #env(String, String)}. */
    public PipelineOptions env(Service service, String name, String value) {
        serviceEnvironment.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(name, value);
        return this;
    }

    /** Removes a variable set with {@link #env(Service, String, String)}; takes effect on the next start. */
    public PipelineOptions unsetEnv(Service service, String name) {
        serviceEnvironment.getOrDefault(service, new LinkedHashMap<>()).remove(name);
        return this;
    }

    /** JVM options of the services in JVM mode. */
    public PipelineOptions jvmArgs(List<String> jvmArgs) {
        this.jvmArgs = List.copyOf(jvmArgs);
        return this;
    }

    /** Runtime options of the native executables, e.g. {@code -Xmx64m}. */
    public PipelineOptions nativeArgs(List<String> nativeArgs) {
        this.nativeArgs = List.copyOf(nativeArgs);
        return this;
    }

    int port(Service service) {
        return ports.getOrDefault(service, service.defaultPort());
    }

    PipelineOptions resolve() {
        if (acls && (brokers > 1 || externalBootstrap != null)) {
            throw new IllegalArgumentException("acls(true) applies the ACLs on the one broker the pipeline starts; for "
                    + "a cluster or a Kafka of your own, create them with kafka-acls.sh (docs/security.md)");
        }
        if (logDir == null) {
            logDir = home.resolve("target").resolve("pulse-run");
        }
        return this;
    }
}
