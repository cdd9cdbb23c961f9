package dev.loginpulse.dashboard.ops;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The operations view at one moment, as sent on {@code /ws/ops} (docs/contracts.md). Rates are null until there are
 * two samples.
 *
 * @param sampledAt when it was sampled (ISO-8601 UTC)
 * @param level the worst level of everything below
 * @param error why the Kafka figures are missing or incomplete, or null
 * @param activeController the KRaft quorum leader, or -1 if unknown
 * @param brokersUp brokers up of {@code brokers}
 * @param underReplicated partitions with fewer in-sync replicas than replicas, all topics
 * @param offline partitions without leader, all topics
 */
public record OpsSnapshot(
        @JsonProperty("sampled_at") String sampledAt,
        @JsonProperty("level") Level level,
        @JsonProperty("error") String error,
        @JsonProperty("active_controller") int activeController,
        @JsonProperty("brokers_up") int brokersUp,
        @JsonProperty("under_replicated") int underReplicated,
        @JsonProperty("offline") int offline,
        @JsonProperty("brokers") List<Broker> brokers,
        @JsonProperty("topics") List<Topic> topics,
        @JsonProperty("groups") List<Group> groups,
        @JsonProperty("services") List<Service> services) {

    /**
     * A node ever seen as a broker, or a voter of the controller quorum.
     *
     * @param host {@code host:port} as last seen (also while down), or null if never seen as a broker
     * @param up registered and not fenced now
     * @param voter a voter of the controller quorum
     * @param activeController the quorum leader
     */
    public record Broker(
            @JsonProperty("id") int id,
            @JsonProperty("host") String host,
            @JsonProperty("up") boolean up,
            @JsonProperty("voter") boolean voter,
            @JsonProperty("active_controller") boolean activeController,
            @JsonProperty("level") Level level) {
    }

    /**
     * A watched topic.
     *
     * @param endOffset the sum of its partitions' end offsets
     * @param produceRate records per second between the last two samples (the growth of the end offsets), or null
     * @param underReplicatedPartitions the numbers of its under-replicated partitions
     * @param offlinePartitions the numbers of its partitions without leader
     */
    public record Topic(
            @JsonProperty("topic") String topic,
            @JsonProperty("partitions") int partitions,
            @JsonProperty("end_offset") long endOffset,
            @JsonProperty("produce_rate") Double produceRate,
            @JsonProperty("under_replicated_partitions") List<Integer> underReplicatedPartitions,
            @JsonProperty("offline_partitions") List<Integer> offlinePartitions,
            @JsonProperty("level") Level level) {
    }

    /**
     * A consumer group (or Kafka Streams application).
     *
     * @param lag the sum of its partitions' lags
     * @param consumeRate records per second committed between the last two samples, or null
     * @param topics the same per topic it committed offsets of
     * @param partitions each partition it committed an offset for
     */
    public record Group(
            @JsonProperty("group") String group,
            @JsonProperty("lag") long lag,
            @JsonProperty("consume_rate") Double consumeRate,
            @JsonProperty("topics") List<GroupTopic> topics,
            @JsonProperty("partitions") List<PartitionLag> partitions,
            @JsonProperty("level") Level level) {
    }

    /**
     * A group's figures on one topic.
     *
     * @param lag the sum of the lags of the group's partitions of the topic
     * @param consumeRate records per second committed on the topic between the last two samples, or null
     */
    public record GroupTopic(
            @JsonProperty("topic") String topic,
            @JsonProperty("lag") long lag,
            @JsonProperty("consume_rate") Double consumeRate,
            @JsonProperty("level") Level level) {
    }

    /**
     * One partition of a group.
     *
     * @param endOffset its end offset, or null if it could not be read (then no lag)
     * @param lag end offset minus committed offset, or null
     */
    public record PartitionLag(
            @JsonProperty("topic") String topic,
            @JsonProperty("partition") int partition,
            @JsonProperty("committed") long committed,
            @JsonProperty("end_offset") Long endOffset,
            @JsonProperty("lag") Long lag,
            @JsonProperty("level") Level level) {
    }

    /**
     * A service's metrics endpoint.
     *
     * @param uptimeSeconds {@code process_uptime_seconds}, or null
     * @param heapUsedBytes heap in use, or null
     * @param error why it is down, or null
     */
    public record Service(
            @JsonProperty("name") String name,
            @JsonProperty("url") String url,
            @JsonProperty("up") boolean up,
            @JsonProperty("uptime_seconds") Double uptimeSeconds,
            @JsonProperty("heap_used_bytes") Double heapUsedBytes,
            @JsonProperty("error") String error,
            @JsonProperty("level") Level level) {
    }
}
