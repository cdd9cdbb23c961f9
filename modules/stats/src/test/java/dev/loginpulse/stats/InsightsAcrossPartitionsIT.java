package dev.loginpulse.stats;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.devbroker.KafkaBrokerTestResource;
import dev.loginpulse.devbroker.TopicClient;
import dev.loginpulse.events.AppVersions;
import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.DeviceMix;
import dev.loginpulse.events.DistinctCounts;
import dev.loginpulse.events.Insight;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.LocaleMix;
import dev.loginpulse.events.TopIps;
import dev.loginpulse.events.Topics;
import dev.loginpulse.events.UsState;
import dev.loginpulse.stats.streams.StatsTopology;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The packaged stats service on a real broker with 3 partitions of {@code user-login-clean}: the same devices and IPs
 * log in from states on every partition, so the published insights are right only if the IP counts are repartitioned
 * by IP and the partials of all partitions are merged ({@code InsightsTopologyTest} runs on one partition, where
 * neither shows). The expected figures are counted here, from the logins sent, with plain maps. IP counts go by IP in
 * batches ({@code IpBatcher}).
 */
@QuarkusIntegrationTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FreshStateDir.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = InsightsAcrossPartitionsIT.Settings.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class InsightsAcrossPartitionsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int PARTITIONS = 3;
    private static final int LOGINS = 360;
    private static final int TOP_IPS = 5;
    private static final long ALERT_THRESHOLD = 40;
    /** Every login at the same time: all are in the same six hopping windows and the same tumbling window. */
    private static final Instant T = Instant.parse("2023-09-12T00:45:51Z");
    private static final String HEAVY_IP = "203.0.113.7";
    /** Logins of the other IPs, 198.51.100.0 to .11, in this order: all different, so the top list has no ties. */
    private static final int[] OTHER_IP_LOGINS = { 60, 50, 41, 33, 27, 22, 17, 13, 10, 7, 5, 3 };
    private static final String[] DEVICE_TYPES = { "android", "ios", "web" };

    /** The stats settings of this test: a short top list and a low alert threshold, which no one partition reaches. */
    public static class Settings implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            return Map.of("pulse.stats.top-ips", String.valueOf(TOP_IPS),
                    "pulse.stats.ip-alert-threshold", String.valueOf(ALERT_THRESHOLD));
        }

        @Override
        public void stop() {
        }
    }

    /** Injected by {@code KafkaBrokerTestResource}. */
    KafkaBroker broker;

    @Test
    void devicesAndIpsThatLogInOnEveryPartitionAreCountedOnceInThePublishedInsights() throws Exception {
        try (Admin admin = broker.admin()) {
            assertThat(admin.describeTopics(List.of(Topics.USER_LOGIN_CLEAN)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.USER_LOGIN_CLEAN).partitions()).hasSize(PARTITIONS);
        }
        List<String> states = statesOnDifferentPartitions();
        List<CleanLogin> logins = logins(states);

        Map<String, Integer> partitionOfState = send(logins);

        // What makes the merges matter: the states are on three partitions, and the same devices, users and IPs log in
        // from states on more than one of them (the broker's own answer where each record went).
        assertThat(new HashSet<>(partitionOfState.values())).hasSize(PARTITIONS);
        Map<String, Set<Integer>> partitionsOfIp = new HashMap<>();
        Map<String, Set<Integer>> partitionsOfDevice = new HashMap<>();
        Map<String, Set<Integer>> partitionsOfUser = new HashMap<>();
        Map<String, Long> loginsPerIpAndPartition = new HashMap<>();
        for (CleanLogin login : logins) {
            int partition = partitionOfState.get(login.locale());
            partitionsOfIp.computeIfAbsent(login.ip(), ip -> new HashSet<>()).add(partition);
            partitionsOfDevice.computeIfAbsent(login.deviceId(), device -> new HashSet<>()).add(partition);
            partitionsOfUser.computeIfAbsent(login.userId(), user -> new HashSet<>()).add(partition);
            loginsPerIpAndPartition.merge(login.ip() + " on " + partition, 1L, Long::sum);
        }
        assertThat(partitionsOfIp).allSatisfy((ip, partitions) -> assertThat(partitions).as(ip).hasSizeGreaterThan(1));
        assertThat(partitionsOfIp.get(HEAVY_IP)).hasSize(PARTITIONS);
        assertThat(partitionsOfDevice).allSatisfy((device, partitions) -> assertThat(partitions).hasSize(PARTITIONS));
        // (users figure in no insight, only in the per-state stats, which are counted within one partition)
        assertThat(partitionsOfUser).allSatisfy((user, partitions) -> assertThat(partitions).hasSizeGreaterThan(1));
        assertThat(loginsPerIpAndPartition).as("no IP is over the alert threshold on any one partition")
                .allSatisfy((ip, count) -> assertThat(count).isLessThanOrEqualTo(ALERT_THRESHOLD));

        Map<String, Insight> expected = expectedInsights(logins);
        Map<String, Insight> latest = new TreeMap<>();
        int[] read = { 0 };
        TopicClient.of(broker).readUntil(Topics.USER_LOGIN_INSIGHTS, records -> {
            for (ConsumerRecord<String, byte[]> record : records.subList(read[0], records.size())) {
                Insight insight = JsonSerde.insight().deserialize(Topics.USER_LOGIN_INSIGHTS, record.value());
                latest.put(key(insight), insight);
            }
            read[0] = records.size();
            return latest.keySet().equals(expected.keySet())
                    && expected.keySet().stream().allMatch(key -> matches(latest.get(key), expected.get(key)));
        }, TIMEOUT);

        assertThat(latest.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((key, insight) -> {
            if (insight instanceof DistinctCounts counts) {
                DistinctCounts actual = (DistinctCounts) latest.get(key);
                assertThat(actual.logins()).as(key).isEqualTo(counts.logins());
                assertThat(actual.distinctIps()).as(key).isEqualTo(counts.distinctIps());
                assertThat(actual.distinctDevices()).as("%s: a HyperLogLog estimate", key)
                        .isCloseTo(counts.distinctDevices(), within(deviceTolerance(counts.distinctDevices())));
                assertThat(actual.distinctDevicesRse()).as(key).isCloseTo(counts.distinctDevicesRse(), within(1e-9));
            } else {
                assertThat(latest.get(key)).as(key).isEqualTo(insight);
            }
        });

        // the IP counts went through the repartition topic of the IP batches
        String batches = "stats-" + StatsTopology.IP_BATCH_REPARTITION + "-repartition";
        try (Admin admin = broker.admin()) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(batches);
        }
    }

    /** The first state code (in {@link UsState} order) of each partition, by Kafka's default partitioner on the key. */
    private static List<String> statesOnDifferentPartitions() {
        Map<Integer, String> byPartition = new TreeMap<>();
        for (UsState state : UsState.values()) {
            int partition = Utils.toPositive(Utils.murmur2(state.code().getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            byPartition.putIfAbsent(partition, state.code());
        }
        assertThat(byPartition).hasSize(PARTITIONS);
        return List.copyOf(byPartition.values());
    }

    /**
     * The logins, all at {@link #T}: the states in the proportions 3:2:1, one login in five from {@link #HEAVY_IP}, the
     * others from IPs with {@link #OTHER_IP_LOGINS} logins, 17 devices and 13 users; each pattern cycles with a period
     * prime to the others', so the same device, user and IP logs in from several states.
     */
    private static List<CleanLogin> logins(List<String> states) {
        int[] stateOf = { 0, 0, 0, 1, 1, 2 };
        List<String> otherIps = new ArrayList<>();
        for (int ip = 0; ip < OTHER_IP_LOGINS.length; ip++) {
            for (int n = 0; n < OTHER_IP_LOGINS[ip]; n++) {
                otherIps.add("198.51.100." + ip);
            }
        }
        assertThat(otherIps).hasSize(LOGINS - LOGINS / 5);
        List<CleanLogin> logins = new ArrayList<>();
        int other = 0;
        for (int i = 0; i < LOGINS; i++) {
            int device = i % 17;
            String ip = i % 5 == 0 ? HEAVY_IP : otherIps.get(other++);
            logins.add(new CleanLogin(T.toString(), states.get(stateOf[i % 6]), DEVICE_TYPES[device % 3],
                    "user-" + i % 13, "2." + device % 4 + ".0", ip, "device-" + device));
        }
        return logins;
    }

    /**
     * The raw records the clean logins stand for (stats accepts a source offset only if it exists in user-login), then
     * the clean logins keyed by state as the cleaner keys them, each with its raw offset; returns the partition the
     * broker put each state's logins in.
     */
    private Map<String, Integer> send(List<CleanLogin> logins) throws Exception {
        TopicClient client = TopicClient.of(broker);
        try (KafkaProducer<byte[], byte[]> raw = client.rawProducer()) {
            for (int i = 0; i < logins.size(); i++) {
                raw.send(new ProducerRecord<>(Topics.USER_LOGIN, i % PARTITIONS, null,
                        "{}".getBytes(StandardCharsets.UTF_8)));
            }
            raw.flush();
        }
        Map<String, Set<Integer>> partitions = new HashMap<>();
        try (KafkaProducer<String, CleanLogin> producer = client.producer(new StringSerializer(),
                JsonSerde.cleanLogin())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < logins.size(); i++) {
                CleanLogin login = logins.get(i);
                ProducerRecord<String, CleanLogin> record = new ProducerRecord<>(Topics.USER_LOGIN_CLEAN,
                        login.locale(), login);
                // raw partition i % 3, offsets 0, 1, 2, ... in each: in order within every clean partition
                record.headers().add(Topics.SOURCE_OFFSET,
                        ((i % PARTITIONS) + ":" + (i / PARTITIONS)).getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(record));
            }
            for (int i = 0; i < logins.size(); i++) {
                partitions.computeIfAbsent(logins.get(i).locale(), state -> new HashSet<>())
                        .add(sent.get(i).get(30, TimeUnit.SECONDS).partition());
            }
        }
        Map<String, Integer> partitionOfState = new HashMap<>();
        partitions.forEach((state, used) -> {
            assertThat(used).as("partitions of %s", state).hasSize(1);
            partitionOfState.put(state, used.iterator().next());
        });
        return partitionOfState;
    }

    /**
     * The five records of every window that holds {@link #T}, counted from the logins: the six 60 s hopping windows
     * starting every 10 s and the one 30 s tumbling window (the defaults, docs/contracts.md).
     */
    private static Map<String, Insight> expectedInsights(List<CleanLogin> logins) {
        Map<String, Long> deviceTypes = new HashMap<>();
        Map<String, Map<String, Long>> versions = new HashMap<>();
        Map<String, Long> locales = new HashMap<>();
        Map<String, Long> ips = new HashMap<>();
        Set<String> devices = new HashSet<>();
        for (CleanLogin login : logins) {
            deviceTypes.merge(login.deviceType(), 1L, Long::sum);
            versions.computeIfAbsent(login.deviceType(), type -> new HashMap<>()).merge(login.appVersion(), 1L,
                    Long::sum);
            locales.merge(login.locale(), 1L, Long::sum);
            ips.merge(login.ip(), 1L, Long::sum);
            devices.add(login.deviceId());
        }
        List<TopIps.IpCount> top = ips.entrySet().stream()
                .sorted(Map.Entry.<String, Long> comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_IPS)
                .map(entry -> new TopIps.IpCount(entry.getKey(), entry.getValue(), entry.getValue() > ALERT_THRESHOLD))
                .toList();
        long overThreshold = ips.values().stream().filter(count -> count > ALERT_THRESHOLD).count();
        long all = logins.size();

        Map<String, Insight> expected = new TreeMap<>();
        List<Instant[]> windows = new ArrayList<>();
        for (long start = T.getEpochSecond() / 10 * 10 - 50; start <= T.getEpochSecond(); start += 10) {
            windows.add(new Instant[] { Instant.ofEpochSecond(start), Instant.ofEpochSecond(start + 60) });
        }
        long tumbling = T.getEpochSecond() / 30 * 30;
        windows.add(new Instant[] { Instant.ofEpochSecond(tumbling), Instant.ofEpochSecond(tumbling + 30) });
        for (int w = 0; w < windows.size(); w++) {
            String view = w < windows.size() - 1 ? Insight.HOPPING : Insight.TUMBLING;
            String start = windows.get(w)[0].toString();
            String end = windows.get(w)[1].toString();
            for (Insight insight : List.of(new DeviceMix(view, start, end, all, deviceTypes, 0),
                    new AppVersions(view, start, end, all, versions, 0),
                    new LocaleMix(view, start, end, all, locales),
                    // the sketch's relative standard error: 1.04 / sqrt(4,096 registers) (docs/contracts.md)
                    new DistinctCounts(view, start, end, all, devices.size(), 1.04 / Math.sqrt(4096), ips.size()),
                    new TopIps(view, start, end, ALERT_THRESHOLD, overThreshold, top))) {
                expected.put(key(insight), insight);
            }
        }
        assertThat(expected).hasSize(7 * 5);
        assertThat(overThreshold).as("IPs over the alert threshold in all partitions together").isEqualTo(4);
        return expected;
    }

    private static String key(Insight insight) {
        return insight.kind() + " " + insight.view() + " " + insight.windowStart();
    }

    private static boolean matches(Insight actual, Insight expected) {
        if (expected instanceof DistinctCounts counts && actual instanceof DistinctCounts distinct) {
            return distinct.logins() == counts.logins() && distinct.distinctIps() == counts.distinctIps()
                    && Math.abs(distinct.distinctDevices() - counts.distinctDevices()) <= deviceTolerance(
                            counts.distinctDevices());
        }
        return expected.equals(actual);
    }

    /**
     * Three relative standard errors of the sketch (1.625 %, docs/contracts.md), at least one: a tally of the devices
     * per partition (each device is on all three) would be off by the whole count twice over.
     */
    private static long deviceTolerance(long devices) {
        return Math.max(1, (long) Math.ceil(3 * 0.01625 * devices));
    }
}
