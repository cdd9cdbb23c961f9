package dev.loginpulse.broker;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import dev.loginpulse.events.Topics;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real single-node Apache Kafka broker in KRaft combined mode (broker and controller in one process), built from
 * Kafka's own server classes. It formats its data directory on first start, listens on 127.0.0.1, creates the
 * pipeline's topics and can be stopped and started again on the same ports and data (a broker restart).
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.builder().build().start()) {
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class KafkaBroker implements AutoCloseable {

    /** The port of the local run, Kafka's default. */
    public static final int DEFAULT_PORT = 9092;
    /** Partitions of each pipeline topic unless configured otherwise. */
    public static final int DEFAULT_PARTITIONS = 3;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String INTERNAL_LISTENER = "INTERNAL";
    /** Name of the listener of {@link Builder#relayedListener(int, int)}. */
    public static final String RELAYED_LISTENER = "RELAYED";
    /** The SASL mechanism of {@link Builder#scramUser(String, String)}. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final int port;
    private final int controllerPort;
    private final int internalPort;
    private final String scramUser;
    private final String scramPassword;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int partitions;
    private final Map<String, String> overrides;
    private final String clusterId = Uuid.randomUuid().toString();
    private final boolean childProcess;
    /** The advertised port of the relayed listener, 0 without one; and the port the broker listens on for it. */
    private final int relayedAdvertisedPort;
    private final int relayedListenerPort;
    private KafkaRaftServer server;
    private Process process;

    private KafkaBroker(Builder builder) {
        this.port = builder.port == 0 ? freePort() : builder.port;
        this.controllerPort = builder.controllerPort == 0 ? freePort() : builder.controllerPort;
        this.internalPort = freePort();
        this.scramUser = builder.scramUser;
        this.scramPassword = builder.scramPassword;
        this.deleteOnClose = builder.dataDir == null;
        this.dataDir = builder.dataDir != null ? builder.dataDir : createTempDir();
        this.partitions = builder.partitions;
        this.overrides = Map.copyOf(builder.overrides);
        this.childProcess = builder.childProcess;
        this.relayedAdvertisedPort = builder.relayedPort;
        this.relayedListenerPort = builder.relayedListenerPort;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code 127.0.0.1:<port>}, for {@code kafka.bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /**
     * What a client needs besides {@link #bootstrapServers()}: nothing for a plain broker, the SASL/SCRAM settings for
     * one with a {@link Builder#scramUser(String, String) SCRAM user}.
     */
    public Map<String, Object> clientConfig() {
        if (scramUser == null) {
            return Map.of();
        }
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", SCRAM_MECHANISM, "sasl.jaas.config",
                jaasConfig(scramUser, scramPassword));
    }

    /** A client JAAS line for SCRAM. */
    public static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The broker process's id (a {@link Builder#childProcess(boolean) child process}), or -1. */
    public synchronized long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    public synchronized boolean isRunning() {
        return server != null || process != null && process.isAlive();
    }

    /**
     * Formats the data directory if needed, starts the broker, waits until it answers and creates the pipeline topics
     * that do not exist yet.
     */
    public synchronized KafkaBroker start() {
        if (isRunning()) {
            return this;
        }
        Map<String, String> config = serverConfig();
        format(config);
        if (childProcess) {
            process = launch(config);
            awaitAnswering();
        } else {
            KafkaConfig kafkaConfig = KafkaConfig.fromProps(toProperties(config), false);
            KafkaRaftServer started = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
            started.startup();
            server = started;
        }
        if (scramUser != null) {
            createScramUser();
        }
        createTopics(Topics.ALL);
        return this;
    }

    /** Stops the broker (a controlled shutdown), keeping its data for a later {@link #start()}. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy(); // SIGTERM: Kafka's controlled shutdown
            awaitExit(process);
            process = null;
        }
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    /**
     * Kills the broker process with SIGKILL, as a crash would: no controlled shutdown, no flush (what was written is
     * in the operating system's page cache, as after a process crash), the logs recovered on the next {@link #start()}.
     * Only for a broker built with {@link Builder#childProcess(boolean)}.
     */
    public synchronized void kill() {
        if (!childProcess) {
            throw new IllegalStateException("an in-process broker cannot be killed; build it with childProcess(true)");
        }
        if (process != null) {
            process.destroyForcibly();
            awaitExit(process);
            process = null;
        }
    }

    /** {@code kafka.Kafka} on the server configuration, in a JVM of its own with this JVM's class path. */
    private Process launch(Map<String, String> config) {
        Path properties = dataDir.resolve("server.properties");
        Path log = dataDir.resolve("broker.log");
        try {
            Files.createDirectories(dataDir);
            try (var writer = Files.newBufferedWriter(properties)) {
                toProperties(config).store(writer, "login-pulse child broker");
            }
            String java = ProcessHandle.current().info().command().orElse("java");
            Process started = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    "kafka.Kafka", properties.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            // never outlive this JVM, whatever way it ends
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "broker-process-reaper"));
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a broker process in " + dataDir, e);
        }
    }

    /** Waits until the broker process answers on its internal listener, or fails with its log's path. */
    private void awaitAnswering() {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        try (Admin admin = admin()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The broker process exited with " + process.exitValue() + "; see "
                            + dataDir.resolve("broker.log"));
                }
                try {
                    admin.describeCluster().clusterId().get(2, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("The broker process did not answer in " + READY_TIMEOUT
                                + "; see " + dataDir.resolve("broker.log"), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the broker process", e);
        }
    }

    private static void awaitExit(Process process) {
        try {
            if (!process.waitFor(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the broker process", e);
        }
    }

    /** Stops the broker and deletes its data directory if the broker created it. */
    @Override
    public synchronized void close() {
        stop();
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
    }

    /**
     * Creates topics with the broker's partition count; existing ones are left as they are. Returns when the broker
     * describes all of them (a created topic can be briefly unknown to the broker's metadata).
     */
    public void createTopics(Collection<String> names) {
        try (Admin admin = admin()) {
            List<NewTopic> topics = names.stream().map(name -> new NewTopic(name, partitions, (short) 1)
                    .configs(topicConfig(name))).toList();
            Instant deadline = Instant.now().plus(READY_TIMEOUT);
            for (NewTopic topic : topics) {
                createTopic(admin, topic, deadline);
            }
            awaitDescribed(admin, names, deadline);
        }
    }

    private static void awaitDescribed(Admin admin, Collection<String> names, Instant deadline) {
        while (true) {
            try {
                long remaining = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
                admin.describeTopics(names).allTopicNames().get(remaining, TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Broker does not describe the topics " + names, e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Broker did not describe the topics " + names + " in " + READY_TIMEOUT,
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while describing topics", e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while describing topics", e);
            }
        }
    }

    /** A new admin client for this broker, on its internal plaintext listener; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + internalPort,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis()));
    }

    private void createScramUser() {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(scramUser,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), scramPassword)))
                    .all().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            admin.describeUserScramCredentials(List.of(scramUser)).all().get(READY_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create SCRAM user " + scramUser, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating SCRAM user", e);
        }
    }

    /**
     * The raw topic and the dead-letter topic take records up to {@link Topics#RAW_MAX_MESSAGE_BYTES}; the integrity
     * topic keeps the latest record per partition (compacted).
     */
    private static Map<String, String> topicConfig(String topic) {
        if (topic.equals(Topics.USER_LOGIN) || topic.equals(Topics.USER_LOGIN_DLQ)) {
            return Map.of("max.message.bytes", String.valueOf(Topics.RAW_MAX_MESSAGE_BYTES));
        }
        if (topic.equals(Topics.USER_LOGIN_INTEGRITY)) {
            return Map.of("cleanup.policy", "compact");
        }
        return Map.of();
    }

    private static void createTopic(Admin admin, NewTopic topic, Instant deadline) {
        try {
            long remaining = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
            admin.createTopics(List.of(topic)).all().get(remaining, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create topic " + topic.name(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Broker did not create topic " + topic.name() + " in " + READY_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + topic.name(), e);
        }
    }

    private Map<String, String> serverConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        // The client listener (PLAINTEXT, or SASL_PLAINTEXT with SCRAM), an internal plaintext listener for the
        // broker itself and its admin tooling, and the KRaft controller listener.
        String client = scramUser == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        config.put("listeners", client + "://127.0.0.1:" + port + "," + INTERNAL_LISTENER + "://127.0.0.1:"
                + internalPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", client + "://127.0.0.1:" + port + "," + INTERNAL_LISTENER + "://127.0.0.1:"
                + internalPort);
        config.put("controller.listener.names", CONTROLLER_LISTENER);
        config.put("listener.security.protocol.map", client + ":" + client + "," + INTERNAL_LISTENER + ":PLAINTEXT,"
                + CONTROLLER_LISTENER + ":PLAINTEXT");
        config.put("inter.broker.listener.name", INTERNAL_LISTENER);
        if (relayedAdvertisedPort != 0) {
            config.put("listeners", config.get("listeners") + "," + RELAYED_LISTENER + "://127.0.0.1:"
                    + relayedListenerPort);
            config.put("advertised.listeners", config.get("advertised.listeners") + "," + RELAYED_LISTENER
                    + "://127.0.0.1:" + relayedAdvertisedPort);
            config.put("listener.security.protocol.map", config.get("listener.security.protocol.map") + ","
                    + RELAYED_LISTENER + ":PLAINTEXT");
        }
        if (scramUser != null) {
            config.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
            config.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        config.put("log.dirs", dataDir.resolve("logs").toString());
        config.put("metadata.log.dir", dataDir.resolve("metadata").toString());
        config.put("num.partitions", String.valueOf(partitions));
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "5");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "5");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("auto.create.topics.enable", "false");
        config.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        config.put("num.network.threads", "2");
        config.put("num.io.threads", "4");
        config.putAll(overrides);
        return config;
    }

    private void format(Map<String, String> config) {
        try {
            Formatter formatter = new Formatter()
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(config.get("log.dirs"), config.get("metadata.log.dir")))
                    .setMetadataLogDirectory(config.get("metadata.log.dir"))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setIgnoreFormatted(true);
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka data directory " + dataDir, e);
        }
    }

    private static Properties toProperties(Map<String, String> config) {
        Properties properties = new Properties();
        properties.putAll(config);
        return properties;
    }

    /** A port on 127.0.0.1 that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1", e);
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("login-pulse-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dir, e);
        }
    }

    /** Options of a {@link KafkaBroker}. */
    public static final class Builder {
        private int port;
        private int controllerPort;
        private Path dataDir;
        private int partitions = DEFAULT_PARTITIONS;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private String scramUser;
        private String scramPassword;
        private boolean childProcess;
        private int relayedPort;
        private int relayedListenerPort;

        private Builder() {
        }

        /** Clients must authenticate with SASL/SCRAM-SHA-512 as this user; the broker creates it on start. */
        public Builder scramUser(String user, String password) {
            this.scramUser = user;
            this.scramPassword = password;
            return this;
        }

        /** The client port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The controller port; 0 (the default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = controllerPort;
            return this;
        }

        /** Where the broker keeps its data; by default a temporary directory deleted on {@link #close()}. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Partitions of each pipeline topic. */
        public Builder partitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        /**
         * Runs the broker as a child JVM ({@code kafka.Kafka} on this JVM's class path) instead of in this process, so
         * that it can be {@link KafkaBroker#kill() killed} like a real crash.
         */
        public Builder childProcess(boolean childProcess) {
            this.childProcess = childProcess;
            return this;
        }

        /**
         * A further plaintext listener ({@value #RELAYED_LISTENER}) on {@code listenerPort} that the broker advertises
         * at {@code 127.0.0.1:advertisedPort}: a client that bootstraps at {@code advertisedPort} sends all its
         * traffic there, so that a relay from that port to {@code listenerPort} (a test's network fault) sits between
         * that one client and the broker.
         */
        public Builder relayedListener(int advertisedPort, int listenerPort) {
            this.relayedPort = advertisedPort;
            this.relayedListenerPort = listenerPort;
            return this;
        }

        /** Any broker property, e.g. {@code message.max.bytes}. */
        public Builder config(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public KafkaBroker build() {
            return new KafkaBroker(this);
        }
    }
}
