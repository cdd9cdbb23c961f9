package dev.loginpulse.dashboard.ops;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/**
 * What one poll of the Admin API and the services' metrics saw; {@link OpsModel} turns two of them into an
 * {@link OpsSnapshot}. A figure that could not be read is missing (a partition without end offset, a group without
 * offsets), never guessed.
 *
 * @param nanos monotonic time of the sample ({@link System#nanoTime()}), for rates
 * @param at wall-clock time of the sample, shown
 * @param liveBrokers ids of the brokers in {@code describeCluster().nodes()} (registered and not fenced)
 * @param brokerHosts {@code host:port} of those brokers
 * @param voters ids of the controller quorum's voters
 * @param activeController the quorum leader's id, or -1 if unknown
 * @param partitions every partition of the topics watched
 * @param endOffsets end offsets of those partitions and of those the groups committed
 * @param committed per group, its committed offsets
 * @param services what each service's metrics said
 * @param error why the Kafka part is missing or incomplete, or null
 */
public record ClusterSample(long nanos, Instant at, Set<Integer> liveBrokers, Map<Integer, String> brokerHosts,
        Set<Integer> voters, int activeController, List<PartitionState> partitions,
        Map<TopicPartition, Long> endOffsets, Map<String, Map<TopicPartition, Long>> committed,
        List<ServiceSample> services, String error) {

    /**
     * One partition as described.
     *
     * @param leader the leader's id, or -1 without leader
     */
    public record PartitionState(String topic, int partition, int leader, int replicas, int inSync) {
    }

    /**
     * One service's metrics endpoint.
     *
     * @param up whether {@code /q/metrics} answered 200
     * @param uptimeSeconds {@code process_uptime_seconds}, or null
     * @param heapUsedBytes the sum of {@code jvm_memory_used_bytes{area="heap"}}, or null
     * @param error why it is down, or null
     */
    public record ServiceSample(String name, String url, boolean up, Double uptimeSeconds, Double heapUsedBytes,
            String error) {
    }
}
