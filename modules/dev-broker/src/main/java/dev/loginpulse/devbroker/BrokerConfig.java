package dev.loginpulse.devbroker;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * What a {@link KafkaBroker} is, fixed when it is built: its ports (free ones picked for those left at 0), data
 * directory, SCRAM user and listeners; from them the server configuration Kafka runs on, and the formatting of the
 * data directory for KRaft.
 */
final class BrokerConfig {

    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String INTERNAL_LISTENER = "INTERNAL";

    final int port;
    final int controllerPort;
    /** The plaintext listener of the broker itself and its admin tooling. */
    final int internalPort;
    final String scramUser;
    final String scramPassword;
    /** Further SCRAM users, name to password. */
    final Map<String, String> moreScramUsers;
    /** TLS on the client listener, or {@code null}. */
    final BrokerTls tls;
    /** The ACLs to create on start, or {@code null}: no authorizer. */
    final List<AclBinding> acls;
    final Path dataDir;
    /** True if the broker created its data directory (a temporary one), which it then deletes on close. */
    final boolean deleteOnClose;
    final int partitions;
    final Map<String, String> overrides;
    final String clusterId;
    final int nodeId;
    /** The KRaft controller quorum, {@code id@host:port,...}: this node alone unless it is a cluster's. */
    final String quorumVoters;
    /** Replicas of every topic; a cluster of three or more also requires two in sync for a write. */
    final int replicationFactor;
    final boolean childProcess;
    /** The advertised port of the relayed listener, 0 without one; and the port the broker listens on for it. */
    final int relayedAdvertisedPort;
    final int relayedListenerPort;

    BrokerConfig(KafkaBrokerBuilder builder) {
        int[] free = KafkaBroker.freePorts(3); // three different ones: a listener each
        this.port = builder.port == 0 ? free[0] : builder.port;
        this.controllerPort = builder.controllerPort == 0 ? free[1] : builder.controllerPort;
        this.internalPort = free[2];
        this.scramUser = builder.scramUser;
        this.scramPassword = builder.scramPassword;
        this.moreScramUsers = Map.copyOf(builder.moreScramUsers);
        this.tls = builder.tls;
        this.acls = builder.acls == null ? null : List.copyOf(builder.acls);
        this.deleteOnClose = builder.dataDir == null;
        this.dataDir = builder.dataDir != null ? builder.dataDir : createTempDir();
        this.partitions = builder.partitions;
        this.overrides = Map.copyOf(builder.overrides);
        this.childProcess = builder.childProcess;
        this.relayedAdvertisedPort = builder.relayedPort;
        this.relayedListenerPort = builder.relayedListenerPort;
        this.nodeId = builder.nodeId;
        this.quorumVoters = builder.quorumVoters != null ? builder.quorumVoters
                : nodeId + "@127.0.0.1:" + controllerPort;
        this.clusterId = builder.clusterId != null ? builder.clusterId : Uuid.randomUuid().toString();
        this.replicationFactor = builder.replicationFactor;
    }

    /** The client listener's security protocol (also its name): PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
    String clientProtocol() {
        return (scramUser == null ? "" : "SASL_") + (tls == null ? "PLAINTEXT" : "SSL");
    }

    /** The principal of {@link KafkaBroker#clientConfig()}'s clients: its SCRAM user, or its certificate's CN. */
    String clientPrincipal() {
        return "User:" + (scramUser != null ? scramUser : tls != null ? tls.clientName() : "ANONYMOUS");
    }

    /** Whether this broker is one node of a {@link KafkaCluster}, which creates the topics once all nodes are up. */
    boolean clusterNode() {
        return quorumVoters.contains(",");
    }

    /** The {@code min.insync.replicas} of every topic: 2 with three replicas or more, else 1. */
    int minInsyncReplicas() {
        return replicationFactor >= 3 ? 2 : 1;
    }

    /** The server properties of a KRaft broker and controller on 127.0.0.1: a single node, or a cluster's node. */
    Map<String, String> serverConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", String.valueOf(nodeId));
        config.put("controller.quorum.voters", quorumVoters);
        // The client listener (PLAINTEXT, SSL, or SASL_PLAINTEXT / SASL_SSL with SCRAM), an internal plaintext
        // listener for the broker itself and its admin tooling, and the KRaft controller listener.
        String client = clientProtocol();
        config.put("listeners", client + "://127.0.0.1:" + port + "," + INTERNAL_LISTENER + "://127.0.0.1:"
                + internalPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", client + "://127.0.0.1:" + port + "," + INTERNAL_LISTENER + "://127.0.0.1:"
                + internalPort);
        config.put("controller.listener.names", CONTROLLER_LISTENER);
        config.put("listener.security.protocol.map", client + ":" + client + "," + INTERNAL_LISTENER + ":PLAINTEXT,"
                + CONTROLLER_LISTENER + ":PLAINTEXT");
        config.put("inter.broker.listener.name", INTERNAL_LISTENER);
        if (relayedAdvertisedPort != 0) {
            config.put("listeners", config.get("listeners") + "," + KafkaBroker.RELAYED_LISTENER + "://127.0.0.1:"
                    + relayedListenerPort);
            config.put("advertised.listeners", config.get("advertised.listeners") + "," + KafkaBroker.RELAYED_LISTENER
                    + "://127.0.0.1:" + relayedAdvertisedPort);
            config.put("listener.security.protocol.map", config.get("listener.security.protocol.map") + ","
                    + KafkaBroker.RELAYED_LISTENER + ":PLAINTEXT");
        }
        if (scramUser != null) {
            config.put("sasl.enabled.mechanisms", KafkaBroker.SCRAM_MECHANISM);
            config.put("listener.name." + client.toLowerCase(Locale.ROOT) + ".scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        if (tls != null) {
            putTls(config);
        }
        if (acls != null) {
            config.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            config.put("allow.everyone.if.no.acl.found", "false");
            // the broker and controller talk to each other (and the dev broker's admin to them) on the plaintext
            // listeners on 127.0.0.1, as ANONYMOUS; the client listener never yields ANONYMOUS (see acls(...))
            config.put("super.users", "User:ANONYMOUS;" + clientPrincipal());
        }
        config.put("log.dirs", dataDir.resolve("logs").toString());
        config.put("metadata.log.dir", dataDir.resolve("metadata").toString());
        config.put("num.partitions", String.valueOf(partitions));
        String replicas = String.valueOf(replicationFactor);
        String minInsync = String.valueOf(minInsyncReplicas());
        config.put("default.replication.factor", replicas);
        config.put("min.insync.replicas", minInsync);
        config.put("unclean.leader.election.enable", "false");
        config.put("offsets.topic.replication.factor", replicas);
        config.put("offsets.topic.num.partitions", "5");
        config.put("transaction.state.log.replication.factor", replicas);
        config.put("transaction.state.log.min.isr", minInsync);
        config.put("transaction.state.log.num.partitions", "5");
        config.put("share.coordinator.state.topic.replication.factor", replicas);
        config.put("share.coordinator.state.topic.min.isr", minInsync);
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("auto.create.topics.enable", "false");
        config.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        config.put("num.network.threads", "2");
        config.put("num.io.threads", "4");
        config.putAll(overrides);
        return config;
    }

    private void putTls(Map<String, String> config) {
        config.put("ssl.keystore.location", tls.keystore().toString());
        config.put("ssl.keystore.password", tls.password());
        config.put("ssl.key.password", tls.password());
        config.put("ssl.keystore.type", TestCertificates.STORE_TYPE);
        config.put("ssl.truststore.location", tls.truststore().toString());
        config.put("ssl.truststore.password", tls.password());
        config.put("ssl.truststore.type", TestCertificates.STORE_TYPE);
        config.put("ssl.client.auth", tls.requireClientCertificates() ? "required" : "none");
        // a client certificate's CN is its principal: CN=generator is User:generator, as the SCRAM user would be
        config.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+).*$/$1/,DEFAULT");
    }

    /** Formats the data directories of a server configuration for KRaft; an already formatted one is left as it is. */
    void format(Map<String, String> config) {
        try {
            Formatter formatter = new Formatter()
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setNodeId(nodeId)
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

    static Properties toProperties(Map<String, String> config) {
        Properties properties = new Properties();
        properties.putAll(config);
        return properties;
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("login-pulse-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
