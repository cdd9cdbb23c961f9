package dev.loginpulse.dashboard.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeMetadataQuorumOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

import dev.loginpulse.dashboard.ops.ClusterSample.PartitionState;
import dev.loginpulse.dashboard.ops.ClusterSample.ServiceSample;

/**
 * One sample of the cluster through the Kafka Admin API: live brokers ({@code describeCluster}), the controller
 * quorum ({@code describeMetadataQuorum}), the watched topics' partitions ({@code describeTopics}), the groups'
 * committed offsets and the end offsets ({@code listOffsets}). All requests of a sample go out together; each answer
 * is awaited until one shared deadline, and what has not come by then is left out of the sample (a partition whose
 * leader just died has no end offset for a moment, say) with the reason in {@link ClusterSample#error()}.
 */
final class AdminSampler {

    private final Admin admin;
    private final List<String> topics;
    private final List<String> groups;
    private final Duration timeout;

    AdminSampler(Admin admin, List<String> topics, List<String> groups, Duration timeout) {
        this.admin = admin;
        this.topics = List.copyOf(topics);
        this.groups = List.copyOf(groups);
        this.timeout = timeout;
    }

    ClusterSample sample(List<ServiceSample> services) throws InterruptedException {
        long nanos = System.nanoTime();
        Instant at = Instant.now();
        long deadline = nanos + timeout.toNanos();
        int timeoutMs = (int) timeout.toMillis();
        List<String> errors = new ArrayList<>();
        KafkaFuture<Collection<Node>> nodesFuture = admin.describeCluster(
                new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes();
        KafkaFuture<QuorumInfo> quorumFuture = admin.describeMetadataQuorum(
                new DescribeMetadataQuorumOptions().timeoutMs(timeoutMs)).quorumInfo();
        Map<String, KafkaFuture<TopicDescription>> topicFutures = admin.describeTopics(topics,
                new DescribeTopicsOptions().timeoutMs(timeoutMs)).topicNameValues();
        Map<String, KafkaFuture<Map<TopicPartition, OffsetAndMetadata>>> groupFutures = new LinkedHashMap<>();
        for (String group : groups) {
            groupFutures.put(group, admin.listConsumerGroupOffsets(group,
                    new ListConsumerGroupOffsetsOptions().timeoutMs(timeoutMs)).partitionsToOffsetAndMetadata());
        }

        Set<Integer> live = new TreeSet<>();
        Map<Integer, String> hosts = new HashMap<>();
        Collection<Node> nodes = awaitQuietly(nodesFuture, deadline, "brokers", errors);
        if (nodes != null) {
            for (Node node : nodes) {
                live.add(node.id());
                hosts.put(node.id(), node.host() + ":" + node.port());
            }
        }
        Set<Integer> voters = new TreeSet<>();
        int leader = -1;
        QuorumInfo quorum = awaitQuietly(quorumFuture, deadline, "controller quorum", errors);
        if (quorum != null) {
            leader = quorum.leaderId();
            quorum.voters().forEach(voter -> voters.add(voter.replicaId()));
        }
        List<PartitionState> partitions = new ArrayList<>();
        Set<TopicPartition> wanted = new LinkedHashSet<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> entry : topicFutures.entrySet()) {
            String topic = entry.getKey();
            TopicDescription description = awaitQuietly(entry.getValue(), deadline, "topic " + topic, errors);
            if (description != null) {
                for (TopicPartitionInfo info : description.partitions()) {
                    partitions.add(new PartitionState(topic, info.partition(),
                            info.leader() == null || info.leader().isEmpty() ? -1 : info.leader().id(),
                            info.replicas().size(), info.isr().size()));
                    wanted.add(new TopicPartition(topic, info.partition()));
                }
            }
        }
        Map<String, Map<TopicPartition, Long>> committed = new LinkedHashMap<>();
        for (Map.Entry<String, KafkaFuture<Map<TopicPartition, OffsetAndMetadata>>> entry : groupFutures.entrySet()) {
            String group = entry.getKey();
            Map<TopicPartition, OffsetAndMetadata> offsets = awaitQuietly(entry.getValue(), deadline,
                    "group " + group, errors);
            if (offsets != null) {
                Map<TopicPartition, Long> byPartition = new HashMap<>();
                offsets.forEach((tp, offset) -> {
                    if (offset != null) {
                        byPartition.put(tp, offset.offset());
                        wanted.add(tp);
                    }
                });
                committed.put(group, byPartition);
            }
        }
        Map<TopicPartition, Long> endOffsets = endOffsets(wanted, deadline, timeoutMs, errors);
        return new ClusterSample(nanos, at, live, hosts, voters, leader, partitions, endOffsets, committed, services,
                errors.isEmpty() ? null : String.join("; ", errors));
    }

    private Map<TopicPartition, Long> endOffsets(Set<TopicPartition> partitions, long deadline, int timeoutMs,
            List<String> errors) throws InterruptedException {
        Map<TopicPartition, Long> ends = new HashMap<>();
        if (partitions.isEmpty()) {
            return ends;
        }
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        partitions.forEach(tp -> specs.put(tp, OffsetSpec.latest()));
        ListOffsetsResult result = admin.listOffsets(specs, new ListOffsetsOptions().timeoutMs(timeoutMs));
        int missing = 0;
        for (TopicPartition tp : partitions) {
            ListOffsetsResult.ListOffsetsResultInfo info = awaitQuietly(result.partitionResult(tp), deadline, null,
                    null);
            if (info == null) {
                missing++;
            } else {
                ends.put(tp, info.offset());
            }
        }
        if (missing > 0) {
            errors.add("no end offset for " + missing + " partition(s)");
        }
        return ends;
    }

    /** The future's value by the deadline, or null, noting why under {@code what} (unless null). */
    private static <T> T awaitQuietly(KafkaFuture<T> future, long deadline, String what, List<String> errors)
            throws InterruptedException {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (what != null) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                errors.add(what + ": " + cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
            }
        } catch (TimeoutException e) {
            if (what != null) {
                errors.add(what + ": no answer");
            }
        }
        return null;
    }
}
