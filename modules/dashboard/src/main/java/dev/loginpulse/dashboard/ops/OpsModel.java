package dev.loginpulse.dashboard.ops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.TopicPartition;

import dev.loginpulse.dashboard.ops.ClusterSample.PartitionState;
import dev.loginpulse.dashboard.ops.ClusterSample.ServiceSample;

/**
 * The operations view from samples, a pure function: brokers up or down, under-replicated and offline partitions,
 * produce and consume rates from the previous sample, lag per group and partition, each with its {@link Level}.
 * <p>
 * Levels: a broker down, an offline partition, a service down, no active controller or no broker reachable is
 * critical; an under-replicated partition or an answer missing from the sample is a warning; lag by
 * {@link Thresholds}.
 */
public final class OpsModel {

    private static final Comparator<TopicPartition> BY_TOPIC_PARTITION = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    private OpsModel() {
    }

    /**
     * @param previous the sample before, or null (then no rates)
     * @param current the latest sample
     * @param known brokers seen before, by id, with their last address (a broker that left the cluster stays, as
     *        down, with the address it had)
     */
    public static OpsSnapshot snapshot(ClusterSample previous, ClusterSample current, Map<Integer, String> known,
            Thresholds thresholds) {
        double seconds = previous == null ? 0 : (current.nanos() - previous.nanos()) / 1e9;
        boolean rates = previous != null && seconds > 0;
        List<OpsSnapshot.Broker> brokers = brokers(current, known);
        List<OpsSnapshot.Topic> topics = topics(previous, current, rates ? seconds : 0);
        List<OpsSnapshot.Group> groups = new ArrayList<>();
        current.committed().forEach((group, offsets) -> groups.add(group(group, offsets,
                rates && previous.committed().containsKey(group) ? previous.committed().get(group) : null,
                current.endOffsets(), seconds, thresholds)));
        List<OpsSnapshot.Service> services = current.services().stream().map(OpsModel::service).toList();

        // Kafka unreachable, or no active controller: critical; some answers missing: a warning.
        Level level = current.liveBrokers().isEmpty() || current.activeController() < 0 ? Level.CRITICAL
                : current.error() != null ? Level.WARN : Level.OK;
        for (OpsSnapshot.Broker broker : brokers) {
            level = level.max(broker.level());
        }
        for (OpsSnapshot.Topic topic : topics) {
            level = level.max(topic.level());
        }
        for (OpsSnapshot.Group group : groups) {
            level = level.max(group.level());
        }
        for (OpsSnapshot.Service service : services) {
            level = level.max(service.level());
        }
        return new OpsSnapshot(current.at().toString(), level, current.error(), current.activeController(),
                (int) brokers.stream().filter(OpsSnapshot.Broker::up).count(),
                topics.stream().mapToInt(t -> t.underReplicatedPartitions().size()).sum(),
                topics.stream().mapToInt(t -> t.offlinePartitions().size()).sum(), brokers, topics, groups, services);
    }

    /** Every broker known, live or a voter, by id. */
    static List<OpsSnapshot.Broker> brokers(ClusterSample sample, Map<Integer, String> known) {
        Set<Integer> ids = new TreeSet<>(known.keySet());
        ids.addAll(sample.liveBrokers());
        ids.addAll(sample.voters());
        List<OpsSnapshot.Broker> brokers = new ArrayList<>();
        for (int id : ids) {
            boolean up = sample.liveBrokers().contains(id);
            String host = sample.brokerHosts().getOrDefault(id, known.get(id));
            brokers.add(new OpsSnapshot.Broker(id, host, up, sample.voters().contains(id),
                    id == sample.activeController(), up ? Level.OK : Level.CRITICAL));
        }
        return brokers;
    }

    static List<OpsSnapshot.Topic> topics(ClusterSample previous, ClusterSample current, double seconds) {
        SortedMap<String, List<PartitionState>> byTopic = new TreeMap<>();
        for (PartitionState partition : current.partitions()) {
            byTopic.computeIfAbsent(partition.topic(), t -> new ArrayList<>()).add(partition);
        }
        List<OpsSnapshot.Topic> topics = new ArrayList<>();
        byTopic.forEach((topic, partitions) -> {
            List<Integer> underReplicated = new ArrayList<>();
            List<Integer> offline = new ArrayList<>();
            long endOffset = 0;
            long produced = 0;
            for (PartitionState partition : partitions.stream()
                    .sorted(Comparator.comparingInt(PartitionState::partition)).toList()) {
                if (partition.leader() < 0) {
                    offline.add(partition.partition());
                }
                if (partition.inSync() < partition.replicas()) {
                    underReplicated.add(partition.partition());
                }
                TopicPartition tp = new TopicPartition(topic, partition.partition());
                Long end = current.endOffsets().get(tp);
                endOffset += end == null ? 0 : end;
                Long before = previous == null ? null : previous.endOffsets().get(tp);
                if (end != null && before != null) {
                    produced += Math.max(0, end - before);
                }
            }
            Level level = !offline.isEmpty() ? Level.CRITICAL : !underReplicated.isEmpty() ? Level.WARN : Level.OK;
            topics.add(new OpsSnapshot.Topic(topic, partitions.size(), endOffset,
                    seconds > 0 ? produced / seconds : null, underReplicated, offline, level));
        });
        return topics;
    }

    /**
     * A group's lag per partition (end offset minus committed, never below 0) and its consume rates: how far its
     * committed offsets moved since the previous sample, on the partitions both samples have; in all and per topic.
     */
    static OpsSnapshot.Group group(String group, Map<TopicPartition, Long> committed,
            Map<TopicPartition, Long> committedBefore, Map<TopicPartition, Long> endOffsets, double seconds,
            Thresholds thresholds) {
        boolean rates = committedBefore != null && seconds > 0;
        List<OpsSnapshot.PartitionLag> partitions = new ArrayList<>();
        SortedMap<String, long[]> byTopic = new TreeMap<>(); // lag, consumed
        SortedMap<String, Level> topicLevels = new TreeMap<>();
        for (TopicPartition tp : committed.keySet().stream().sorted(BY_TOPIC_PARTITION).toList()) {
            long offset = committed.get(tp);
            Long end = endOffsets.get(tp);
            Long lag = end == null ? null : Math.max(0, end - offset);
            Level partitionLevel = lag == null ? Level.OK : thresholds.lag(lag);
            partitions.add(new OpsSnapshot.PartitionLag(tp.topic(), tp.partition(), offset, end, lag,
                    partitionLevel));
            long[] figures = byTopic.computeIfAbsent(tp.topic(), t -> new long[2]);
            figures[0] += lag == null ? 0 : lag;
            Long before = committedBefore == null ? null : committedBefore.get(tp);
            figures[1] += before == null ? 0 : Math.max(0, offset - before);
            topicLevels.merge(tp.topic(), partitionLevel, Level::max);
        }
        List<OpsSnapshot.GroupTopic> topics = new ArrayList<>();
        long lag = 0;
        long consumed = 0;
        Level level = Level.OK;
        for (Map.Entry<String, long[]> topic : byTopic.entrySet()) {
            long[] figures = topic.getValue();
            Level topicLevel = topicLevels.get(topic.getKey());
            topics.add(new OpsSnapshot.GroupTopic(topic.getKey(), figures[0], rates ? figures[1] / seconds : null,
                    topicLevel));
            lag += figures[0];
            consumed += figures[1];
            level = level.max(topicLevel);
        }
        return new OpsSnapshot.Group(group, lag, rates ? consumed / seconds : null, topics, partitions, level);
    }

    static OpsSnapshot.Service service(ServiceSample sample) {
        return new OpsSnapshot.Service(sample.name(), sample.url(), sample.up(), sample.uptimeSeconds(),
                sample.heapUsedBytes(), sample.error(), sample.up() ? Level.OK : Level.CRITICAL);
    }
}
