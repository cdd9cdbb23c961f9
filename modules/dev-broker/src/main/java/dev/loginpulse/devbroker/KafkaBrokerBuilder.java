package dev.loginpulse.devbroker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.acl.AclBinding;

/** Options of a {@link KafkaBroker}, from {@link KafkaBroker#builder()}. */
public final class KafkaBrokerBuilder {
    int port;
    int controllerPort;
    Path dataDir;
    int partitions = KafkaBroker.DEFAULT_PARTITIONS;
    final Map<String, String> overrides = new LinkedHashMap<>();
    String scramUser;
    String scramPassword;
    final Map<String, String> moreScramUsers = new LinkedHashMap<>();
    BrokerTls tls;
    List<AclBinding> acls;
    boolean childProcess;
    int relayedPort;
    int relayedListenerPort;
    int nodeId = 1;
    String quorumVoters;
    String clusterId;
    int replicationFactor = 1;

    KafkaBrokerBuilder() {
    }

    /** Clients must authenticate with SASL/SCRAM-SHA-512 as this user; the broker creates it on start. */
    public KafkaBrokerBuilder scramUser(String user, String password) {
        this.scramUser = user;
        this.scramPassword = password;
        return this;
    }

    /**
     * Further SCRAM-SHA-512 users (name to password) the broker creates on start, e.g. one per service; needs a
     * {@link #scramUser(String, String)}, the identity of {@link KafkaBroker#clientConfig()}.
     */
    public KafkaBrokerBuilder scramUsers(Map<String, String> users) {
        moreScramUsers.putAll(users);
        return this;
    }

    /**
     * TLS on the client listener: {@code SSL}, or {@code SASL_SSL} with a {@link #scramUser(String, String)}. The
     * broker's own listeners (internal, controller) stay plaintext on 127.0.0.1.
     */
    public KafkaBrokerBuilder tls(BrokerTls tls) {
        this.tls = tls;
        return this;
    }

    /**
     * Turns authorization on: KRaft's {@code StandardAuthorizer}, deny by default ({@code
     * allow.everyone.if.no.acl.found=false}), these ACLs created on start. Super users: the broker itself (its internal
     * and controller listeners, {@code User:ANONYMOUS}) and the identity of {@link KafkaBroker#clientConfig()} (the
     * {@link #scramUser(String, String) SCRAM user}, or the {@link BrokerTls#clientName() client certificate}'s CN),
     * which creates the topics. The client listener must then authenticate: SASL, or SSL with client certificates
     * required (an unauthenticated client would be {@code User:ANONYMOUS}).
     */
    public KafkaBrokerBuilder acls(Collection<AclBinding> bindings) {
        this.acls = new ArrayList<>(bindings);
        return this;
    }

    /** The client port; 0 (the default) picks a free one. */
    public KafkaBrokerBuilder port(int port) {
        this.port = port;
        return this;
    }

    /** The controller port; 0 (the default) picks a free one. */
    public KafkaBrokerBuilder controllerPort(int controllerPort) {
        this.controllerPort = controllerPort;
        return this;
    }

    /** Where the broker keeps its data; by default a temporary directory deleted on {@link KafkaBroker#close()}. */
    public KafkaBrokerBuilder dataDir(Path dataDir) {
        this.dataDir = dataDir;
        return this;
    }

    /** Partitions of each pipeline topic. */
    public KafkaBrokerBuilder partitions(int partitions) {
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
    public KafkaBrokerBuilder childProcess(boolean childProcess) {
        this.childProcess = childProcess;
        return this;
    }

    /**
     * A further plaintext listener ({@value KafkaBroker#RELAYED_LISTENER}) on {@code listenerPort} that the broker
     * advertises at {@code 127.0.0.1:advertisedPort}: a client that bootstraps at {@code advertisedPort} sends all
     * its traffic there, so that a relay from that port to {@code listenerPort} (a test's network fault) sits between
     * that one client and the broker.
     */
    public KafkaBrokerBuilder relayedListener(int advertisedPort, int listenerPort) {
        this.relayedPort = advertisedPort;
        this.relayedListenerPort = listenerPort;
        return this;
    }

    /**
     * Makes this broker node {@code nodeId} of a KRaft cluster whose controller quorum is {@code quorumVoters}
     * ({@code id@host:port,...}) and whose data is formatted with {@code clusterId}; its topics get
     * {@code replicationFactor} replicas. {@link KafkaCluster} builds its nodes this way.
     */
    KafkaBrokerBuilder clusterNode(int nodeId, String quorumVoters, String clusterId, int replicationFactor) {
        this.nodeId = nodeId;
        this.quorumVoters = quorumVoters;
        this.clusterId = clusterId;
        this.replicationFactor = replicationFactor;
        return this;
    }

    /** Any broker property, e.g. {@code message.max.bytes}. */
    public KafkaBrokerBuilder config(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    /** The broker, not started yet; its ports and data directory are fixed now. */
    public KafkaBroker build() {
        if (!moreScramUsers.isEmpty() && scramUser == null) {
            throw new IllegalStateException("further SCRAM users need a scramUser, the broker's client identity");
        }
        if (acls != null && scramUser == null && (tls == null || !tls.requireClientCertificates())) {
            throw new IllegalStateException("ACLs need an authenticated client listener (a scramUser, or TLS with "
                    + "client certificates required): an anonymous client would be a super user");
        }
        return new KafkaBroker(new BrokerConfig(this));
    }
}
