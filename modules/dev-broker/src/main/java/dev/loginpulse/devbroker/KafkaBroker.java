package dev.loginpulse.devbroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;

import dev.loginpulse.events.Topics;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real single-node Apache Kafka broker in KRaft combined mode (broker and controller in one process), built from
 * Kafka's own server classes. It formats its data directory on first start, listens on 127.0.0.1, creates the
 * pipeline's topics and can be stopped and started again on the same ports and data (a broker restart).
 * {@link KafkaBrokerBuilder} sets it up, {@link BrokerConfig} turns that into Kafka's server configuration,
 * {@link BrokerProcess} runs a child-process broker, and {@link TopicCreator} creates the topics.
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
    /** Name of the listener of {@link KafkaBrokerBuilder#relayedListener(int, int)}. */
    public static final String RELAYED_LISTENER = "RELAYED";
    /** The SASL mechanism of {@link KafkaBrokerBuilder#scramUser(String, String)}. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    /**
     * How long a node may take to answer after its start, and a cluster to register its nodes and bring its replicas in
     * sync: a bound, not an expectation (a node answers in about 4 s on a quiet machine, but three child JVMs on two
     * busy cores have needed more than a minute before their quorum formed).
     */
    static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

    private final BrokerConfig config;
    private KafkaRaftServer server;
    private BrokerProcess process;

    KafkaBroker(BrokerConfig config) {
        this.config = config;
    }

    public static KafkaBrokerBuilder builder() {
        return new KafkaBrokerBuilder();
    }

    /** {@code 127.0.0.1:<port>}, for {@code kafka.bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + config.port;
    }

    public int port() {
        return config.port;
    }

    /** The plaintext listener of the broker itself and its admin clients. */
    int internalPort() {
        return config.internalPort;
    }

    /**
     * What a client needs besides {@link #bootstrapServers()}: nothing for a plain broker; the security protocol, the
     * SASL/SCRAM settings of its {@link KafkaBrokerBuilder#scramUser(String, String) SCRAM user} and the trust store
     * and client key store of its {@link KafkaBrokerBuilder#tls(BrokerTls) TLS} otherwise (a super user with ACLs).
     */
    public Map<String, Object> clientConfig() {
        return Map.copyOf(BrokerSecurity.clientConfig(config));
    }

    /** The client listener's security protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
    public String securityProtocol() {
        return config.clientProtocol();
    }

    /** A client JAAS line for SCRAM. */
    public static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    public Path dataDir() {
        return config.dataDir;
    }

    /** This broker's KRaft node id: 1 unless it is a {@link KafkaCluster}'s node. */
    public int nodeId() {
        return config.nodeId;
    }

    /** The broker process's id (a {@link KafkaBrokerBuilder#childProcess(boolean) child process}), or -1. */
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
        Map<String, String> serverConfig = config.serverConfig();
        config.format(serverConfig);
        if (config.childProcess) {
            process = BrokerProcess.launch(config.dataDir, serverConfig);
            if (config.clusterNode()) {
                return this; // the cluster waits for its quorum, then creates the topics once
            }
            awaitAnswering();
        } else {
            KafkaConfig kafkaConfig = KafkaConfig.fromProps(BrokerConfig.toProperties(serverConfig), false);
            KafkaRaftServer started = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
            started.startup();
            server = started;
        }
        createSecurity();
        createTopics(Topics.ALL);
        return this;
    }

    /** Creates the SCRAM users and the ACLs of the configuration, if any. */
    private void createSecurity() {
        if (config.scramUser == null && config.acls == null) {
            return;
        }
        try (Admin admin = admin()) {
            if (config.scramUser != null) {
                Map<String, String> users = new LinkedHashMap<>(config.moreScramUsers);
                users.put(config.scramUser, config.scramPassword);
                BrokerSecurity.createScramUsers(admin, users, READY_TIMEOUT);
            }
            if (config.acls != null) {
                BrokerSecurity.createAcls(admin, config.acls, READY_TIMEOUT);
            }
        }
    }

    /** Sends a child-process broker SIGTERM without waiting for it to exit: a cluster stops its nodes together. */
    synchronized void requestStop() {
        if (process != null) {
            process.requestStop();
        }
    }

    /**
     * After {@link #requestStop()}: waits up to {@code grace} for the child-process broker to finish its controlled
     * shutdown, then SIGKILLs it (its logs are recovered on the next {@link #start()}, as after a crash). True if it
     * stopped by itself.
     */
    synchronized boolean awaitStop(Duration grace) {
        if (process == null) {
            return true;
        }
        boolean stopped = process.awaitExit(grace);
        if (!stopped) {
            System.err.printf("Kafka node %s was still in its controlled shutdown after %d ms: killed%n",
                    bootstrapServers(), grace.toMillis());
        }
        process = null;
        return stopped;
    }

    /** Stops the broker (a controlled shutdown), keeping its data for a later {@link #start()}. */
    public synchronized void stop() {
        if (process != null) {
            process.stop(); // SIGTERM: Kafka's controlled shutdown
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
     * Only for a broker built with {@link KafkaBrokerBuilder#childProcess(boolean)}.
     */
    public synchronized void kill() {
        if (!config.childProcess) {
            throw new IllegalStateException("an in-process broker cannot be killed; build it with childProcess(true)");
        }
        if (process != null) {
            process.kill();
            process = null;
        }
    }

    /** Waits until the broker process answers on its internal listener, or fails with its log's path. */
    void awaitAnswering() {
        process.awaitAnswering(this::admin);
    }

    /** Stops the broker and deletes its data directory if the broker created it. */
    @Override
    public synchronized void close() {
        stop();
        if (config.deleteOnClose) {
            deleteRecursively(config.dataDir);
        }
    }

    /**
     * Creates topics with the broker's partition count; existing ones are left as they are. Returns when the broker
     * describes all of them (a created topic can be briefly unknown to the broker's metadata).
     */
    public void createTopics(Collection<String> names) {
        try (Admin admin = admin()) {
            TopicCreator.createTopics(admin, names, config.partitions, config.replicationFactor,
                    config.minInsyncReplicas());
        }
    }

    /** A new admin client for this broker, on its internal plaintext listener; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + config.internalPort,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis()));
    }

    /**
     * A port on 127.0.0.1 that was free a moment ago and that no earlier call in this JVM returned: the system may
     * hand out a port it has just released again, so two listeners picked one after the other could otherwise get
     * the same one (a broker's client and controller listeners did once in CI).
     */
    public static int freePort() {
        return FreePorts.freePort();
    }

    /** {@code count} different {@link #freePort() free ports}. */
    public static int[] freePorts(int count) {
        return FreePorts.freePorts(count);
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
}
