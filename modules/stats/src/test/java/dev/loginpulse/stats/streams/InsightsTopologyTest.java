package dev.loginpulse.stats.streams;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.AppVersions;
import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.DeviceMix;
import dev.loginpulse.events.DistinctCounts;
import dev.loginpulse.events.Insight;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.LocaleMix;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.TopIps;
import dev.loginpulse.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;

class InsightsTopologyTest {

    private static final Instant T0 = Instant.parse("2023-09-12T00:00:00Z");
    /** The hopping window [00:00:00, 00:01:00) and the tumbling window [00:00:00, 00:00:30). */
    private static final String W0 = "2023-09-12T00:00:00Z";

    private static final Map<Class<? extends Insight>, String> KINDS = Map.of(DeviceMix.class, DeviceMix.KIND,
            AppVersions.class, AppVersions.KIND, LocaleMix.class, LocaleMix.KIND, DistinctCounts.class,
            DistinctCounts.KIND, TopIps.class, TopIps.KIND);

    private final Path stateDir = TestStateDir.create();

    private TopologyTestDriver driver;
    private TestInputTopic<String, CleanLogin> clean;
    private TestOutputTopic<String, Insight> insights;
    private TestOutputTopic<String, StateStats> stats;
    /** Latest record per kind, view and window start. */
    private final Map<String, Insight> published = new TreeMap<>();

    private void start(InsightSpec spec) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "stats-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // as in production; also spares the driver a checkpoint (an fsync per store) after every record
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(StatsTopology.build(spec.windows(), spec, StatsEnvironment.unchecked()), props,
                T0);
        clean = driver.createInputTopic(Topics.USER_LOGIN_CLEAN, new StringSerializer(), JsonSerde.cleanLogin());
        insights = driver.createOutputTopic(Topics.USER_LOGIN_INSIGHTS, new StringDeserializer(),
                JsonSerde.insight());
        stats = driver.createOutputTopic(Topics.USER_LOGIN_STATS, new StringDeserializer(), JsonSerde.stateStats());
    }

    private void start() {
        start(InsightSpec.defaults());
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
        TestStateDir.delete(stateDir);
    }

    @Test
    void loginsPerDeviceTypeAreCountedExactlyInEveryHoppingWindowAndTheTumblingWindowThatContainIt() {
        start();
        login("RI", "u1", "00:00:05", "android", "2.3.0", "10.0.0.1", "d1");
        login("NY", "u2", "00:00:06", "android", "2.3.0", "10.0.0.2", "d2");
        login("CA", "u3", "00:00:07", "ios", "3.0.0", "10.0.0.3", "d3");

        publish();

        for (String start : List.of("2023-09-11T23:59:10Z", "2023-09-11T23:59:30Z", W0)) {
            DeviceMix mix = latest(DeviceMix.class, Insight.HOPPING, start);
            assertThat(mix.logins()).isEqualTo(3);
            assertThat(mix.deviceTypes()).containsExactly(Map.entry("android", 2L), Map.entry("ios", 1L));
            assertThat(mix.otherLogins()).isZero();
            assertThat(Duration.between(Instant.parse(mix.windowStart()), Instant.parse(mix.windowEnd())))
                    .isEqualTo(Duration.ofSeconds(60));
        }
        assertThat(windowStarts(DeviceMix.KIND, Insight.HOPPING)).hasSize(6);
        DeviceMix tumbling = latest(DeviceMix.class, Insight.TUMBLING, W0);
        assertThat(tumbling.windowEnd()).isEqualTo("2023-09-12T00:00:30Z");
        assertThat(tumbling.deviceTypes()).containsExactly(Map.entry("android", 2L), Map.entry("ios", 1L));
        assertThat(windowStarts(DeviceMix.KIND, Insight.TUMBLING)).containsExactly(W0);
    }

    @Test
    void tumblingWindowsDoNotOverlapSoALoginCountsInExactlyOne() {
        start();
        login("RI", "u1", "00:00:29", "android", "2.3.0", "10.0.0.1", "d1");
        login("RI", "u2", "00:00:30", "web", "2.3.0", "10.0.0.2", "d2");
        login("RI", "u3", "00:00:59", "web", "2.3.0", "10.0.0.3", "d3");

        publish();

        assertThat(latest(DeviceMix.class, Insight.TUMBLING, W0).deviceTypes()).containsExactly(Map.entry("android", 1L));
        assertThat(latest(DeviceMix.class, Insight.TUMBLING, "2023-09-12T00:00:30Z").deviceTypes())
                .containsExactly(Map.entry("web", 2L));
        assertThat(latest(DeviceMix.class, Insight.HOPPING, W0).logins()).isEqualTo(3);
    }

    @Test
    void appVersionsAreCountedPerDeviceType() {
        start();
        login("RI", "u1", "00:00:05", "android", "2.3.0", "10.0.0.1", "d1");
        login("RI", "u2", "00:00:06", "android", "2.3.0", "10.0.0.1", "d2");
        login("TX", "u3", "00:00:07", "android", "2.4.0", "10.0.0.1", "d3");
        login("TX", "u4", "00:00:08", "ios", "2.3.0", "10.0.0.1", "d4");

        publish();

        AppVersions versions = latest(AppVersions.class, Insight.HOPPING, W0);
        assertThat(versions.logins()).isEqualTo(4);
        assertThat(versions.versions()).containsOnlyKeys("android", "ios");
        assertThat(versions.versions().get("android")).containsExactly(Map.entry("2.3.0", 2L), Map.entry("2.4.0", 1L));
        assertThat(versions.versions().get("ios")).containsExactly(Map.entry("2.3.0", 1L));
    }

    @Test
    void deviceTypesAndVersionsContainingSeparatorsAreKeptApart() {
        start();
        login("RI", "u1", "00:00:05", "a:1", "b", "10.0.0.1", "d1");
        login("RI", "u2", "00:00:05", "a", ":1b", "10.0.0.1", "d2");

        publish();

        Map<String, Map<String, Long>> versions = latest(AppVersions.class, Insight.HOPPING, W0).versions();
        assertThat(versions.get("a:1")).containsExactly(Map.entry("b", 1L));
        assertThat(versions.get("a")).containsExactly(Map.entry(":1b", 1L));
    }

    @Test
    void moreDeviceTypesThanARecordShowsAreSummedAsOtherLoginsSoTheTotalStaysExact() {
        start();
        for (int i = 0; i < Insight.MAX_ENTRIES + 10; i++) {
            login("RI", "u" + i, "00:00:05", "device" + i, "1.0", "10.0.0.1", "d" + i);
        }
        login("RI", "extra", "00:00:05", "device0", "1.0", "10.0.0.1", "dx");

        publish();

        DeviceMix mix = latest(DeviceMix.class, Insight.HOPPING, W0);
        assertThat(mix.deviceTypes()).hasSize(Insight.MAX_ENTRIES);
        assertThat(mix.deviceTypes().entrySet().iterator().next()).isEqualTo(Map.entry("device0", 2L));
        assertThat(mix.otherLogins()).isEqualTo(10);
        assertThat(mix.deviceTypes().values().stream().mapToLong(Long::longValue).sum() + mix.otherLogins())
                .isEqualTo(mix.logins()).isEqualTo(Insight.MAX_ENTRIES + 11);
    }

    @Test
    void loginsPerLocaleCountEveryStateIncludingUnknown() {
        start();
        login("CA", "u1", "00:00:05", "web", "1.0", "10.0.0.1", "d1");
        login("CA", "u2", "00:00:05", "web", "1.0", "10.0.0.1", "d2");
        login("UNK", "u3", "00:00:05", "web", "1.0", "10.0.0.1", "d3");
        login("WY", "u4", "00:00:05", "web", "1.0", "10.0.0.1", "d4");

        publish();

        LocaleMix locales = latest(LocaleMix.class, Insight.HOPPING, W0);
        assertThat(locales.locales()).containsExactly(Map.entry("CA", 2L), Map.entry("UNK", 1L), Map.entry("WY", 1L));
        assertThat(locales.logins()).isEqualTo(4);
    }

    @Test
    void distinctIpsAreExactAcrossStatesAndDistinctDevicesAreEstimated() {
        start();
        login("CA", "u1", "00:00:05", "web", "1.0", "10.0.0.1", "d1");
        login("TX", "u2", "00:00:06", "web", "1.0", "10.0.0.1", "d1");
        login("NY", "u3", "00:00:07", "web", "1.0", "10.0.0.2", "d2");
        login("NY", "u3", "00:00:08", "web", "1.0", "10.0.0.3", "d2");

        publish();

        DistinctCounts distinct = latest(DistinctCounts.class, Insight.HOPPING, W0);
        assertThat(distinct.logins()).isEqualTo(4);
        assertThat(distinct.distinctIps()).isEqualTo(3);
        assertThat(distinct.distinctDevices()).isEqualTo(2);
        assertThat(distinct.distinctDevicesRse()).isEqualTo(DistinctSketch.RELATIVE_STANDARD_ERROR);
    }

    @Test
    void loginsWithoutAnIpOrDeviceIdCountInTheMixesButNotAsAnIpOrADevice() {
        start(new InsightSpec(WindowSpec.defaults(), Duration.ofSeconds(30), 3, 1));
        for (int i = 0; i < 5; i++) {
            login("CA", "u" + i, "00:00:05", "web", "1.0", "unknown", "unknown");
        }
        login("CA", "v", "00:00:06", "web", "1.0", "10.0.0.1", "d1");

        publish();

        assertThat(latest(DeviceMix.class, Insight.HOPPING, W0).deviceTypes()).containsExactly(Map.entry("web", 6L));
        DistinctCounts distinct = latest(DistinctCounts.class, Insight.HOPPING, W0);
        assertThat(distinct.distinctIps()).isEqualTo(1);
        assertThat(distinct.distinctDevices()).isEqualTo(1);
        TopIps top = latest(TopIps.class, Insight.HOPPING, W0);
        assertThat(top.ips()).containsExactly(new TopIps.IpCount("10.0.0.1", 1, false));
        assertThat(top.ipsOverThreshold()).isZero();
    }

    @Test
    void distinctDevicesOfTwoThousandDevicesSpreadOverStatesAreWithinThreeStandardErrors() {
        start();
        String[] states = { "CA", "TX", "NY", "FL", "RI", "UNK" };
        int devices = 2_000;
        for (int i = 0; i < devices; i++) {
            String device = "device-" + Integer.toHexString(i * 31 + 7);
            login(states[i % states.length], "u" + i, "00:00:05", "web", "1.0", "10.0.0.1", device);
            if (i % 5 == 0) {
                // seen again from another state: the per-partition sketches overlap, their merge must not add up
                login(states[(i + 1) % states.length], "u" + i, "00:00:06", "web", "1.0", "10.0.0.1", device);
            }
        }

        publish();

        DistinctCounts distinct = latest(DistinctCounts.class, Insight.HOPPING, W0);
        double error = (distinct.distinctDevices() - (double) devices) / devices;
        assertThat(distinct.logins()).isEqualTo(devices + devices / 5);
        assertThat(Math.abs(error)).isLessThan(3 * DistinctSketch.RELATIVE_STANDARD_ERROR);
    }

    @Test
    void topIpsAreExactAcrossStatesAndFlagIpsAboveTheAlertThreshold() {
        start(new InsightSpec(WindowSpec.defaults(), Duration.ofSeconds(30), 3, 4));
        Map<String, Integer> logins = Map.of("10.0.0.1", 7, "10.0.0.2", 5, "10.0.0.3", 4, "10.0.0.4", 2,
                "10.0.0.5", 1);
        String[] states = { "CA", "TX", "NY" };
        int n = 0;
        for (Map.Entry<String, Integer> ip : logins.entrySet()) {
            for (int i = 0; i < ip.getValue(); i++) {
                // the same IP from several states: only the repartition by IP can count it exactly
                login(states[n++ % states.length], "u" + n, "00:00:05", "web", "1.0", ip.getKey(), "d" + n);
            }
        }

        publish();

        TopIps top = latest(TopIps.class, Insight.HOPPING, W0);
        assertThat(top.alertThreshold()).isEqualTo(4);
        assertThat(top.ips()).containsExactly(
                new TopIps.IpCount("10.0.0.1", 7, true),
                new TopIps.IpCount("10.0.0.2", 5, true),
                new TopIps.IpCount("10.0.0.3", 4, false));
        assertThat(top.ipsOverThreshold()).isEqualTo(2);
        assertThat(latest(DistinctCounts.class, Insight.HOPPING, W0).distinctIps()).isEqualTo(5);
    }

    @Test
    void ipsOverTheThresholdAreCountedEvenWhenTheyDoNotFitIntoTheTopList() {
        start(new InsightSpec(WindowSpec.defaults(), Duration.ofSeconds(30), 2, 1));
        for (int ip = 1; ip <= 5; ip++) {
            for (int i = 0; i < 2 + ip; i++) {
                login("CA", "u", "00:00:05", "web", "1.0", "10.0.0." + ip, "d");
            }
        }

        publish();

        TopIps top = latest(TopIps.class, Insight.TUMBLING, W0);
        assertThat(top.ips()).extracting(TopIps.IpCount::ip).containsExactly("10.0.0.5", "10.0.0.4");
        assertThat(top.ipsOverThreshold()).isEqualTo(5);
    }

    @Test
    void theTopListFollowsAnIpThatOvertakesTheOthersWithinAWindow() {
        start(new InsightSpec(WindowSpec.defaults(), Duration.ofSeconds(30), 1, 100));
        login("CA", "u", "00:00:05", "web", "1.0", "10.0.0.1", "d");
        login("CA", "u", "00:00:06", "web", "1.0", "10.0.0.1", "d");
        publish();
        assertThat(latest(TopIps.class, Insight.HOPPING, W0).ips()).extracting(TopIps.IpCount::ip)
                .containsExactly("10.0.0.1");

        for (int i = 0; i < 3; i++) {
            login("TX", "v", "00:00:07", "web", "1.0", "10.0.0.9", "e");
        }
        publish();

        assertThat(latest(TopIps.class, Insight.HOPPING, W0).ips())
                .containsExactly(new TopIps.IpCount("10.0.0.9", 3, false));
    }

    @Test
    void aLoginLaterThanGraceForEveryWindowIsLeftOutAndOneWithinGraceOfSomeCountsOnlyThere() {
        start();
        login("WA", "u1", "00:00:05", "web", "1.0", "10.0.0.1", "d1");
        login("WA", "u2", "00:02:00", "web", "1.0", "10.0.0.1", "d2");
        publish();
        // Stream time 00:02:00 closed every hopping window that started by 00:00:50 and every tumbling window that
        // started by 00:01:00. 00:00:06 is in no open window; 00:01:05 is in the open hopping window from 00:01:00
        // and in the closed ones from 00:00:10 to 00:00:50.
        login("WA", "u3", "00:00:06", "web", "1.0", "10.0.0.1", "d3");
        login("WA", "u4", "00:01:05", "ios", "1.0", "10.0.0.1", "d4");
        publish();

        assertThat(latest(DeviceMix.class, Insight.HOPPING, W0).logins()).isEqualTo(1);
        assertThat(latest(DeviceMix.class, Insight.HOPPING, "2023-09-12T00:01:00Z").deviceTypes())
                .containsExactly(Map.entry("ios", 1L));
        assertThat(published).doesNotContainKey(key(DeviceMix.KIND, Insight.HOPPING, "2023-09-12T00:00:10Z"))
                .doesNotContainKey(key(DeviceMix.KIND, Insight.TUMBLING, "2023-09-12T00:01:00Z"));
        assertThat(latest(TopIps.class, Insight.HOPPING, W0).ips()).containsExactly(
                new TopIps.IpCount("10.0.0.1", 1, false));
    }

    @Test
    void aCleanerRedeliveryIsCountedNeitherInTheStatsNorInTheInsights() {
        start();
        login("FL", "u1", "00:00:05", "web", "1.0", "10.0.0.1", "d1", "0:41");
        login("FL", "u1", "00:00:05", "web", "1.0", "10.0.0.1", "d1", "0:41");
        login("FL", "u2", "00:00:06", "web", "1.0", "10.0.0.1", "d2", "0:40");
        login("FL", "u3", "00:00:07", "web", "1.0", "10.0.0.1", "d3", "0:42");

        publish();

        assertThat(latest(DeviceMix.class, Insight.HOPPING, W0).logins()).isEqualTo(2);
        assertThat(latest(TopIps.class, Insight.HOPPING, W0).ips()).containsExactly(
                new TopIps.IpCount("10.0.0.1", 2, false));
        assertThat(stats.readValuesToList()).filteredOn(s -> s.windowStart().equals(W0))
                .extracting(StateStats::logins).last().isEqualTo(2L);
    }

    @Test
    void changedWindowsArePublishedAtMostOncePerEmitIntervalWithAllFiveKinds() {
        start();
        for (int i = 0; i < 50; i++) {
            login("GA", "u" + i, "00:00:05", "web", "1.0", "10.0.0." + i, "d" + i);
        }
        assertThat(insights.isEmpty()).isTrue();

        Map<String, Insight> latest = new TreeMap<>();
        for (int interval = 0; interval < 3; interval++) {
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            List<TestRecord<String, Insight>> records = insights.readRecordsToList();
            assertThat(records).extracting(r -> key(r.value().kind(), r.value().view(), r.value().windowStart()))
                    .as("each (kind, view, window) at most once per emit interval").doesNotHaveDuplicates();
            assertThat(records).allSatisfy(record -> assertThat(record.key()).isEqualTo(record.value().kind()));
            records.forEach(r -> latest.put(key(r.value().kind(), r.value().view(), r.value().windowStart()),
                    r.value()));
        }

        // 6 hopping windows and 1 tumbling window, 5 kinds each, keyed by kind
        assertThat(latest).hasSize(35);
        assertThat(latest.values()).extracting(Insight::kind).containsOnly(DeviceMix.KIND, AppVersions.KIND,
                LocaleMix.KIND, DistinctCounts.KIND, TopIps.KIND);
        assertThat(emit()).isEmpty();
    }

    private void login(String state, String user, String time, String device, String version, String ip,
            String deviceId) {
        login(state, user, time, device, version, ip, deviceId, null);
    }

    private void login(String state, String user, String time, String device, String version, String ip,
            String deviceId, String sourceOffset) {
        CleanLogin value = new CleanLogin("2023-09-12T" + time + "Z", state, device, user, version, ip, deviceId);
        RecordHeaders headers = new RecordHeaders();
        if (sourceOffset != null) {
            headers.add(Topics.SOURCE_OFFSET, sourceOffset.getBytes(StandardCharsets.US_ASCII));
        }
        clean.pipeInput(new TestRecord<>(state, value, headers, Instant.parse(value.timestamp())));
    }

    /**
     * Lets the wall clock pass the emit interval three times (the IP batches, the partials, then
     * their merge) and returns what was published.
     */
    private List<TestRecord<String, Insight>> emit() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        return insights.readRecordsToList();
    }

    private void publish() {
        for (TestRecord<String, Insight> record : emit()) {
            Insight insight = record.value();
            published.put(key(insight.kind(), insight.view(), insight.windowStart()), insight);
        }
    }

    private static String key(String kind, String view, String windowStart) {
        return kind + "|" + view + "|" + windowStart;
    }

    private List<String> windowStarts(String kind, String view) {
        String prefix = kind + "|" + view + "|";
        return published.keySet().stream().filter(k -> k.startsWith(prefix)).map(k -> k.substring(prefix.length()))
                .toList();
    }

    private <T extends Insight> T latest(Class<T> type, String view, String windowStart) {
        String kind = KINDS.get(type);
        Insight insight = published.get(key(kind, view, windowStart));
        assertThat(insight).as("published %s", key(kind, view, windowStart)).isInstanceOf(type);
        return type.cast(insight);
    }
}
