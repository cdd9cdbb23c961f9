package dev.loginpulse.dashboard.ops;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.loginpulse.dashboard.ops.ClusterSample.PartitionState;
import dev.loginpulse.dashboard.ops.ClusterSample.ServiceSample;
import dev.loginpulse.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The operations view computed from samples, without Kafka: every expected figure is worked out by hand. */
class OpsModelTest {

    private static final Thresholds THRESHOLDS = new Thresholds(100, 1_000);
    private static final Instant T0 = Instant.parse("2026-12-07T03:00:00Z");
    private static final long SECOND = 1_000_000_000L;
    private static final TopicPartition RAW_0 = new TopicPartition(Topics.USER_LOGIN, 0);
    private static final TopicPartition RAW_1 = new TopicPartition(Topics.USER_LOGIN, 1);
    private static final TopicPartition CLEAN_0 = new TopicPartition(Topics.USER_LOGIN_CLEAN, 0);

    @Test
    void produceAndConsumeRatesAreTheGrowthOfEndAndCommittedOffsetsPerSecondBetweenTwoSamples() {
        ClusterSample first = sample(0, Map.of(RAW_0, 1_000L, RAW_1, 500L, CLEAN_0, 40L),
                Map.of("cleaner", Map.of(RAW_0, 900L, RAW_1, 500L)));
        // 2 s later: user-login grew by 300 + 100 records, the cleaner committed 200 + 50 more.
        ClusterSample second = sample(2 * SECOND, Map.of(RAW_0, 1_300L, RAW_1, 600L, CLEAN_0, 40L),
                Map.of("cleaner", Map.of(RAW_0, 1_100L, RAW_1, 550L)));

        OpsSnapshot ops = OpsModel.snapshot(first, second, Map.of(), THRESHOLDS);

        OpsSnapshot.Topic raw = topic(ops, Topics.USER_LOGIN);
        assertThat(raw.produceRate()).isEqualTo((300 + 100) / 2.0);
        assertThat(raw.endOffset()).isEqualTo(1_300 + 600);
        assertThat(topic(ops, Topics.USER_LOGIN_CLEAN).produceRate()).isZero();
        OpsSnapshot.Group cleaner = ops.groups().get(0);
        assertThat(cleaner.consumeRate()).isEqualTo((200 + 50) / 2.0);
        assertThat(cleaner.lag()).isEqualTo((1_300 - 1_100) + (600 - 550));
        assertThat(cleaner.partitions()).extracting(OpsSnapshot.PartitionLag::partition,
                OpsSnapshot.PartitionLag::lag).containsExactly(tuple(0, 200L), tuple(1, 50L));
    }

    @Test
    void groupOnTwoTopicsHasItsLagAndConsumeRatePerTopicAndInAll() {
        ClusterSample first = sample(0, Map.of(RAW_0, 100L, RAW_1, 100L, CLEAN_0, 100L),
                Map.of("stats", Map.of(RAW_0, 10L, CLEAN_0, 20L)));
        // 4 s later: 40 more committed on user-login-0, 80 more on user-login-clean-0.
        ClusterSample second = sample(4 * SECOND, Map.of(RAW_0, 100L, RAW_1, 100L, CLEAN_0, 100L),
                Map.of("stats", Map.of(RAW_0, 50L, CLEAN_0, 100L)));

        OpsSnapshot.Group stats = OpsModel.snapshot(first, second, Map.of(), THRESHOLDS).groups().get(0);

        assertThat(stats.topics()).extracting(OpsSnapshot.GroupTopic::topic, OpsSnapshot.GroupTopic::lag,
                OpsSnapshot.GroupTopic::consumeRate).containsExactly(tuple(Topics.USER_LOGIN, 100L - 50L, 40 / 4.0),
                        tuple(Topics.USER_LOGIN_CLEAN, 0L, 80 / 4.0));
        assertThat(stats.lag()).isEqualTo(50);
        assertThat(stats.consumeRate()).isEqualTo((40 + 80) / 4.0);
    }

    @Test
    void firstSampleHasNoRatesButItsLag() {
        ClusterSample only = sample(0, Map.of(RAW_0, 10L, RAW_1, 0L, CLEAN_0, 0L),
                Map.of("cleaner", Map.of(RAW_0, 4L)));

        OpsSnapshot ops = OpsModel.snapshot(null, only, Map.of(), THRESHOLDS);

        assertThat(topic(ops, Topics.USER_LOGIN).produceRate()).isNull();
        assertThat(ops.groups().get(0).consumeRate()).isNull();
        assertThat(ops.groups().get(0).lag()).isEqualTo(6);
    }

    @Test
    void partitionWithoutEndOffsetHasNoLagAndARecreatedTopicNeverGivesANegativeRate() {
        ClusterSample first = sample(0, Map.of(RAW_0, 1_000L, RAW_1, 50L, CLEAN_0, 0L), Map.of());
        // user-login-0 shrank (the topic was recreated); user-login-1's end offset is missing this time.
        ClusterSample second = sample(SECOND, Map.of(RAW_0, 10L, CLEAN_0, 0L),
                Map.of("cleaner", Map.of(RAW_0, 5L, RAW_1, 40L)));

        OpsSnapshot ops = OpsModel.snapshot(first, second, Map.of(), THRESHOLDS);

        assertThat(topic(ops, Topics.USER_LOGIN).produceRate()).isZero();
        assertThat(ops.groups().get(0).partitions()).extracting(OpsSnapshot.PartitionLag::endOffset,
                OpsSnapshot.PartitionLag::lag).containsExactly(tuple(10L, 5L), tuple(null, null));
        assertThat(ops.groups().get(0).lag()).isEqualTo(5);
    }

    @Test
    void partitionWithFewerInSyncReplicasThanReplicasIsUnderReplicatedAndOneWithoutLeaderOffline() {
        List<PartitionState> partitions = List.of(new PartitionState(Topics.USER_LOGIN, 0, 1, 3, 3),
                new PartitionState(Topics.USER_LOGIN, 1, 2, 3, 2),
                new PartitionState(Topics.USER_LOGIN_CLEAN, 0, -1, 3, 1),
                new PartitionState(Topics.USER_LOGIN_CLEAN, 1, 1, 3, 2),
                new PartitionState(Topics.USER_LOGIN_CLEAN, 2, 3, 3, 3));
        ClusterSample sample = new ClusterSample(0, T0, Set.of(1, 2, 3), Map.of(), Set.of(1, 2, 3), 1, partitions,
                Map.of(), Map.of(), List.of(), null);

        OpsSnapshot ops = OpsModel.snapshot(null, sample, Map.of(), THRESHOLDS);

        assertThat(topic(ops, Topics.USER_LOGIN).underReplicatedPartitions()).containsExactly(1);
        assertThat(topic(ops, Topics.USER_LOGIN).offlinePartitions()).isEmpty();
        assertThat(topic(ops, Topics.USER_LOGIN).level()).isEqualTo(Level.WARN);
        assertThat(topic(ops, Topics.USER_LOGIN_CLEAN).underReplicatedPartitions()).containsExactly(0, 1);
        assertThat(topic(ops, Topics.USER_LOGIN_CLEAN).offlinePartitions()).containsExactly(0);
        assertThat(topic(ops, Topics.USER_LOGIN_CLEAN).level()).isEqualTo(Level.CRITICAL);
        assertThat(ops.underReplicated()).isEqualTo(3);
        assertThat(ops.offline()).isEqualTo(1);
        assertThat(ops.level()).isEqualTo(Level.CRITICAL);
    }

    @Test
    void brokerSeenBeforeOrVotingButNotLiveIsDownAndTheQuorumLeaderIsTheActiveController() {
        // Node 2 was seen before and is gone; node 3 is a voter that is not registered as a broker.
        ClusterSample sample = new ClusterSample(0, T0, Set.of(1), Map.of(1, "127.0.0.1:9092"), Set.of(1, 3), 3,
                List.of(), Map.of(), Map.of(), List.of(), null);
        Map<Integer, String> known = new HashMap<>();
        known.put(1, "127.0.0.1:9092");
        known.put(2, "127.0.0.1:9093");

        OpsSnapshot ops = OpsModel.snapshot(null, sample, known, THRESHOLDS);

        assertThat(ops.brokers()).extracting(OpsSnapshot.Broker::id, OpsSnapshot.Broker::host,
                OpsSnapshot.Broker::up, OpsSnapshot.Broker::voter, OpsSnapshot.Broker::activeController,
                OpsSnapshot.Broker::level).containsExactly(
                        tuple(1, "127.0.0.1:9092", true, true, false, Level.OK),
                        tuple(2, "127.0.0.1:9093", false, false, false, Level.CRITICAL),
                        tuple(3, null, false, true, true, Level.CRITICAL));
        assertThat(ops.brokersUp()).isEqualTo(1);
        assertThat(ops.activeController()).isEqualTo(3);
        assertThat(ops.level()).isEqualTo(Level.CRITICAL);
    }

    @Test
    void healthyClusterIsOkAndAMissingAnswerOnlyAWarningWhileNoBrokerOrNoControllerIsCritical() {
        ClusterSample healthy = new ClusterSample(0, T0, Set.of(1), Map.of(), Set.of(1), 1, List.of(), Map.of(),
                Map.of(), List.of(), null);
        assertThat(OpsModel.snapshot(null, healthy, Map.of(), THRESHOLDS).level()).isEqualTo(Level.OK);
        ClusterSample partial = new ClusterSample(0, T0, Set.of(1), Map.of(), Set.of(1), 1, List.of(), Map.of(),
                Map.of(), List.of(), "group stats: no answer");
        assertThat(OpsModel.snapshot(null, partial, Map.of(), THRESHOLDS).level()).isEqualTo(Level.WARN);
        ClusterSample unreachable = new ClusterSample(0, T0, Set.of(), Map.of(), Set.of(), -1, List.of(), Map.of(),
                Map.of(), List.of(), "brokers: no answer");
        assertThat(OpsModel.snapshot(null, unreachable, Map.of(), THRESHOLDS).level()).isEqualTo(Level.CRITICAL);
        ClusterSample leaderless = new ClusterSample(0, T0, Set.of(1), Map.of(), Set.of(1), -1, List.of(), Map.of(),
                Map.of(), List.of(), null);
        assertThat(OpsModel.snapshot(null, leaderless, Map.of(), THRESHOLDS).level()).isEqualTo(Level.CRITICAL);
    }

    @Test
    void lagLevelsStartAtTheirThresholds() {
        assertThat(THRESHOLDS.lag(0)).isEqualTo(Level.OK);
        assertThat(THRESHOLDS.lag(99)).isEqualTo(Level.OK);
        assertThat(THRESHOLDS.lag(100)).isEqualTo(Level.WARN);
        assertThat(THRESHOLDS.lag(999)).isEqualTo(Level.WARN);
        assertThat(THRESHOLDS.lag(1_000)).isEqualTo(Level.CRITICAL);
        assertThatThrownBy(() -> new Thresholds(10, 9)).isInstanceOf(IllegalArgumentException.class);

        // user-login-0: 1,000 behind (critical); user-login-1: 100 behind (warning): the group is critical.
        ClusterSample sample = sample(0, Map.of(RAW_0, 1_000L, RAW_1, 150L, CLEAN_0, 0L),
                Map.of("cleaner", Map.of(RAW_0, 0L, RAW_1, 50L), "stats", Map.of(CLEAN_0, 0L)));
        OpsSnapshot ops = OpsModel.snapshot(null, sample, Map.of(), THRESHOLDS);
        OpsSnapshot.Group cleaner = ops.groups().stream().filter(g -> g.group().equals("cleaner")).findFirst()
                .orElseThrow();
        assertThat(cleaner.partitions()).extracting(OpsSnapshot.PartitionLag::level)
                .containsExactly(Level.CRITICAL, Level.WARN);
        assertThat(cleaner.level()).isEqualTo(Level.CRITICAL);
        assertThat(ops.groups().stream().filter(g -> g.group().equals("stats")).findFirst().orElseThrow().level())
                .isEqualTo(Level.OK);
    }

    @Test
    void serviceDownIsCriticalAndUpCarriesItsFigures() {
        ClusterSample sample = new ClusterSample(0, T0, Set.of(1), Map.of(), Set.of(1), 1, List.of(), Map.of(),
                Map.of(), List.of(new ServiceSample("cleaner", "http://127.0.0.1:8082", true, 12.5, 1e6, null),
                        new ServiceSample("stats", "http://127.0.0.1:8083", false, null, null, "ConnectException")),
                null);

        OpsSnapshot ops = OpsModel.snapshot(null, sample, Map.of(), THRESHOLDS);

        assertThat(ops.services()).extracting(OpsSnapshot.Service::name, OpsSnapshot.Service::up,
                OpsSnapshot.Service::uptimeSeconds, OpsSnapshot.Service::level).containsExactly(
                        tuple("cleaner", true, 12.5, Level.OK), tuple("stats", false, null, Level.CRITICAL));
        assertThat(ops.level()).isEqualTo(Level.CRITICAL);
    }

    /** One healthy node; user-login with partitions 0 and 1, user-login-clean with 0; these offsets. */
    private static ClusterSample sample(long nanos, Map<TopicPartition, Long> endOffsets,
            Map<String, Map<TopicPartition, Long>> committed) {
        List<PartitionState> partitions = List.of(new PartitionState(Topics.USER_LOGIN, 0, 1, 1, 1),
                new PartitionState(Topics.USER_LOGIN, 1, 1, 1, 1),
                new PartitionState(Topics.USER_LOGIN_CLEAN, 0, 1, 1, 1));
        return new ClusterSample(nanos, T0.plusNanos(nanos), Set.of(1), Map.of(1, "127.0.0.1:9092"), Set.of(1), 1,
                partitions, endOffsets, committed, List.of(), null);
    }

    private static OpsSnapshot.Topic topic(OpsSnapshot ops, String name) {
        return ops.topics().stream().filter(t -> t.topic().equals(name)).findFirst().orElseThrow();
    }
}
