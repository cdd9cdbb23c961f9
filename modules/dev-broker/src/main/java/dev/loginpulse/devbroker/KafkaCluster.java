package dev.loginpulse.devbroker;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

import dev.loginpulse.events.Topics;

/**
 * A real KRaft cluster of several nodes on 127.0.0.1, each a child JVM that is both broker and controller (a
 * controller quorum of all of them), as Kafka's own multi-node deployments are: every pipeline topic with one
 * replica per node, {@code min.insync.replicas=2} from three nodes on, no unclean leader election. Any node can be
 * SIGKILLed ({@link #node(int)}{@code .kill()}) and started again ({@link #restart(int)}).
 *
 * <pre>{@code
 * try (KafkaCluster cluster = KafkaCluster.builder().nodes(3).build().start()) {
 *     String bootstrap = cluster.bootstrapServers(); // all three nodes
 * }
 * }</pre>
 */
public final class KafkaCluster implements AutoCloseable {

    /**
     * How long the nodes get by default to finish their controlled shutdown together when the cluster is closed. They
     * need a few seconds, but a node has hung in it until the old bound of 2 minutes (OperationsViewIT's cluster took
     * 128 s to close in a CI run, after one node had been killed and restarted).
     */
    static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(20);

    private final List<KafkaBroker> nodes;
    private final Duration stopGrace;

    private KafkaCluster(List<KafkaBroker> nodes, Duration stopGrace) {
        this.nodes = List.copyOf(nodes);
        this.stopGrace = stopGrace;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a {@link KafkaCluster}. */
    public static final class Builder {
        private int nodes = 3;
        private int partitions = KafkaBroker.DEFAULT_PARTITIONS;
        private Path dataDir;
        private int firstPort;
        private Duration stopGrace = DEFAULT_STOP_GRACE;

        private Builder() {
        }

        /** How many nodes, each broker and controller; 3 by default. */
        public Builder nodes(int nodes) {
            if (nodes < 1) {
                throw new IllegalArgumentException("a cluster needs at least one node: " + nodes);
            }
            this.nodes = nodes;
            return this;
        }

        /** Partitions of each pipeline topic. */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /**
         * The client port of node 1; node 2 listens on the next one, and so on (e.g. 9092, 9093, 9094). 0 (the
         * default) picks free ports.
         */
        public Builder firstPort(int firstPort) {
            this.firstPort = firstPort;
            return this;
        }

        /** Where the nodes keep their data ({@code node-1}, ...); temporary directories by default. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /**
         * How long {@link KafkaCluster#close()} lets the nodes finish their controlled shutdown before it SIGKILLs
         * those still in it; 20 s by default.
         */
        public Builder stopGrace(Duration stopGrace) {
            this.stopGrace = stopGrace;
            return this;
        }

        /** The cluster, not started yet; its ports, node ids and cluster id are fixed now. */
        public KafkaCluster build() {
            int[] controllerPorts = KafkaBroker.freePorts(nodes);
            StringBuilder voters = new StringBuilder();
            for (int i = 0; i < nodes; i++) {
                voters.append(i == 0 ? "" : ",").append(i + 1).append("@127.0.0.1:").append(controllerPorts[i]);
            }
            String clusterId = Uuid.randomUuid().toString();
            List<KafkaBroker> brokers = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                KafkaBrokerBuilder node = KafkaBroker.builder().childProcess(true).partitions(partitions)
                        .controllerPort(controllerPorts[i]).port(firstPort == 0 ? 0 : firstPort + i)
                        .clusterNode(i + 1, voters.toString(), clusterId, nodes);
                if (dataDir != null) {
                    node.dataDir(dataDir.resolve("node-" + (i + 1)));
                }
                brokers.add(node.build());
            }
            return new KafkaCluster(brokers, stopGrace);
        }
    }

    /**
     * Starts every node, waits until each answers and all are registered, then creates the pipeline topics that do
     * not exist yet (one replica per node) and waits until every replica is in sync.
     */
    public KafkaCluster start() {
        nodes.forEach(KafkaBroker::start);
        nodes.forEach(KafkaBroker::awaitAnswering);
        awaitBrokers(nodes.size());
        nodes.get(0).createTopics(Topics.ALL);
        awaitInSync(KafkaBroker.READY_TIMEOUT);
        return this;
    }

    /** Every node's client address, comma-separated, for {@code kafka.bootstrap.servers}. */
    public String bootstrapServers() {
        return nodes.stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    /** The nodes, in node id order (node 1 first). */
    public List<KafkaBroker> nodes() {
        return nodes;
    }

    /** The node with this id (1, 2, ...). */
    public KafkaBroker node(int nodeId) {
        return nodes.get(nodeId - 1);
    }

    /** Starts a stopped or killed node again and waits until it answers (its replicas catch up by themselves). */
    public void restart(int nodeId) {
        KafkaBroker node = node(nodeId);
        node.start();
        node.awaitAnswering();
    }

    /** A new admin client for the cluster, on every node's internal listener; the caller closes it. */
    public Admin admin() {
        String internal = nodes.stream().map(node -> "127.0.0.1:" + node.internalPort())
                .collect(Collectors.joining(","));
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internal,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KafkaBroker.READY_TIMEOUT.toMillis()));
    }

    /** The node id of the leader of a topic's partition now, or -1 if it has none. */
    public int leaderOf(String topic, int partition) {
        try (Admin admin = admin()) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(KafkaBroker.READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            Node leader = description.partitions().get(partition).leader();
            return leader == null ? -1 : leader.id();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot describe " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while describing " + topic, e);
        }
    }

    /** The node id of the active controller (the KRaft quorum's leader). */
    public int activeController() {
        try (Admin admin = admin()) {
            return admin.describeMetadataQuorum().quorumInfo().get(KafkaBroker.READY_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS).leaderId();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot describe the metadata quorum", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while describing the metadata quorum", e);
        }
    }

    /** Waits until every partition of the pipeline topics has all its replicas in sync, or fails after the bound. */
    public void awaitInSync(Duration bound) {
        Instant deadline = Instant.now().plus(bound);
        try (Admin admin = admin()) {
            List<String> behind = outOfSync(admin);
            while (!behind.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
                behind = outOfSync(admin);
            }
            if (!behind.isEmpty()) {
                throw new IllegalStateException("Partitions not fully in sync after " + bound + ": " + behind);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for in-sync replicas", e);
        }
    }

    /** Partitions of the pipeline topics whose in-sync replicas are fewer than their replicas (or unknown now). */
    private List<String> outOfSync(Admin admin) throws InterruptedException {
        try {
            List<String> behind = new ArrayList<>();
            admin.describeTopics(Topics.ALL).allTopicNames().get(10, TimeUnit.SECONDS).forEach((topic, description) -> {
                for (TopicPartitionInfo partition : description.partitions()) {
                    if (partition.isr().size() < partition.replicas().size()) {
                        behind.add(topic + "-" + partition.partition() + " isr " + partition.isr().size() + "/"
                                + partition.replicas().size());
                    }
                }
            });
            return behind;
        } catch (ExecutionException | TimeoutException e) {
            return List.of("(not described: " + e + ")");
        }
    }

    private void awaitBrokers(int count) {
        Instant deadline = Instant.now().plus(KafkaBroker.READY_TIMEOUT);
        try (Admin admin = admin()) {
            while (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() < count) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Fewer than " + count + " brokers registered after "
                            + KafkaBroker.READY_TIMEOUT + "; see the broker.log of each node");
                }
                Thread.sleep(100);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot describe the cluster", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the brokers", e);
        }
    }

    /**
     * Stops every node (a controlled shutdown, SIGKILL for a node still in it after the
     * {@linkplain Builder#stopGrace(Duration) stop grace}) and deletes the data directories the nodes created.
     */
    @Override
    public void close() {
        // All together: one by one, the last node would wait for a quorum that is gone.
        nodes.forEach(KafkaBroker::requestStop);
        Instant deadline = Instant.now().plus(stopGrace);
        for (KafkaBroker node : nodes) {
            Duration left = Duration.between(Instant.now(), deadline);
            node.awaitStop(left.isNegative() ? Duration.ZERO : left);
        }
        nodes.forEach(KafkaBroker::close);
    }
}
