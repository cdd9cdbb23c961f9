package dev.loginpulse.stats.streams;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;

class StatsTopologyTest {

    private static final Instant T0 = Instant.parse("2023-09-12T00:00:00Z");

    private final Path stateDir = TestStateDir.create();

    private TopologyTestDriver driver;
    private TestInputTopic<String, CleanLogin> clean;
    private TestOutputTopic<String, StateStats> stats;
    private final Map<String, Map<String, StateStats>> published = new HashMap<>();

    @BeforeEach
    void startDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "stats-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // as in production; also spares the driver a checkpoint (an fsync per store) after every record
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(StatsTopology.build(WindowSpec.defaults(), StatsEnvironment.unchecked()), props,
                T0);
        clean = driver.createInputTopic(Topics.USER_LOGIN_CLEAN, new StringSerializer(), JsonSerde.cleanLogin());
        stats = driver.createOutputTopic(Topics.USER_LOGIN_STATS, new StringDeserializer(), JsonSerde.stateStats());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
        TestStateDir.delete(stateDir);
    }

    @Test
    void oneLoginCountsInEverySixtySecondWindowThatContainsIt() {
        login("RI", "u1", "00:00:35");

        Map<String, StateStats> windows = latestWindows("RI");

        assertThat(windows.keySet()).containsExactly(
                "2023-09-11T23:59:40Z", "2023-09-11T23:59:50Z", "2023-09-12T00:00:00Z",
                "2023-09-12T00:00:10Z", "2023-09-12T00:00:20Z", "2023-09-12T00:00:30Z");
        assertThat(windows.values()).allSatisfy(w -> {
            assertThat(w.logins()).isEqualTo(1);
            assertThat(w.uniqueUsers()).isEqualTo(1);
            assertThat(w.totalLogins()).isEqualTo(1);
            assertThat(Duration.between(Instant.parse(w.windowStart()), Instant.parse(w.windowEnd())))
                    .isEqualTo(Duration.ofSeconds(60));
        });
    }

    @Test
    void loginInTheFirstMinuteOfTheEpochCountsOnlyInTheWindowsFromTheEpochOn() {
        // A timestamp of 5 is clean (non-negative); windows that would start before 1970 cannot be stored.
        CleanLogin early = new CleanLogin("1970-01-01T00:00:05Z", "VT", "android", "u1", "1.0", "10.0.0.1", "d1");
        clean.pipeInput(new TestRecord<>("VT", early, new RecordHeaders(), Instant.parse(early.timestamp())));
        login("VT", "u2", "00:00:35");

        Map<String, StateStats> windows = latestWindows("VT");

        assertThat(windows.get("1970-01-01T00:00:00Z")).satisfies(w -> {
            assertThat(w.logins()).isEqualTo(1);
            assertThat(w.uniqueUsers()).isEqualTo(1);
        });
        assertThat(windows.keySet()).allSatisfy(start -> assertThat(Instant.parse(start)).isAfterOrEqualTo(
                Instant.EPOCH));
        assertThat(windows.get("2023-09-12T00:00:30Z").totalLogins()).isEqualTo(2);
    }

    @Test
    void cleanLoginWithUnknownExtraFieldsIsCountedFromItsKnownFields() {
        TestInputTopic<String, String> json = driver.createInputTopic(Topics.USER_LOGIN_CLEAN, new StringSerializer(),
                new StringSerializer());
        login("WA", "u1", "00:00:35");
        String extended = "{\"timestamp\":\"2023-09-12T00:00:36Z\",\"locale\":\"WA\",\"device_type\":\"ios\","
                + "\"user_id\":\"u2\",\"app_version\":\"2.3.0\",\"ip\":\"10.0.0.2\",\"device_id\":\"d2\","
                + "\"risk\":{\"score\":0.9,\"flags\":[\"new-device\"]},\"schema_version\":2,\"vip\":true}";
        json.pipeInput(new TestRecord<>("WA", extended, new RecordHeaders(), Instant.parse("2023-09-12T00:00:36Z")));

        StateStats window = latestWindows("WA").get("2023-09-12T00:00:30Z");

        assertThat(window.logins()).isEqualTo(2);
        assertThat(window.uniqueUsers()).isEqualTo(2);
        assertThat(window.lastLogin()).isEqualTo("2023-09-12T00:00:36Z");
    }

    @Test
    void everyRecordStatsWritesCarriesOnlyItsTopicsSchemaHeaderNotTheInputsHeaders() {
        CleanLogin value = cleanLogin("OR", "u1", "00:00:35");
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.SOURCE_OFFSET, "0:1".getBytes(StandardCharsets.US_ASCII));
        headers.add(Topics.SCHEMA, "user-login-clean/1".getBytes(StandardCharsets.US_ASCII));
        clean.pipeInput(new TestRecord<>("OR", value, headers, Instant.parse(value.timestamp())));
        // a forged source offset is dropped and counted on user-login-integrity
        login("OR", "u2", "00:00:36", "not-an-offset");
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        for (String topic : List.of(Topics.USER_LOGIN_STATS, Topics.USER_LOGIN_STATE_INSIGHTS,
                Topics.USER_LOGIN_INSIGHTS, Topics.USER_LOGIN_INTEGRITY)) {
            List<TestRecord<String, String>> written = driver.createOutputTopic(topic, new StringDeserializer(),
                    new StringDeserializer()).readRecordsToList();
            assertThat(written).as(topic).isNotEmpty().allSatisfy(record -> {
                assertThat(record.headers().toArray()).as(topic).extracting(Header::key).containsExactly(Topics.SCHEMA);
                assertThat(new String(record.headers().lastHeader(Topics.SCHEMA).value(), StandardCharsets.US_ASCII))
                        .isEqualTo(topic + "/1");
            });
        }
    }

    @Test
    void windowStartIsInclusiveAndWindowEndExclusive() {
        login("NY", "u1", "00:01:00");

        Map<String, StateStats> windows = latestWindows("NY");

        assertThat(windows).containsKey("2023-09-12T00:01:00Z").doesNotContainKey("2023-09-12T00:00:00Z");
        assertThat(windows).containsKey("2023-09-12T00:00:10Z");
    }

    @Test
    void distinctUsersCountEachUserOncePerWindowWhileLoginsCountEveryLogin() {
        login("CA", "alice", "00:00:01");
        login("CA", "alice", "00:00:02");
        login("CA", "bob", "00:00:03");
        login("CA", "alice", "00:00:15");

        Map<String, StateStats> windows = latestWindows("CA");

        assertThat(windows.get("2023-09-12T00:00:00Z")).satisfies(w -> {
            assertThat(w.logins()).isEqualTo(4);
            assertThat(w.uniqueUsers()).isEqualTo(2);
        });
        assertThat(windows.get("2023-09-12T00:00:10Z")).satisfies(w -> {
            assertThat(w.logins()).isEqualTo(1);
            assertThat(w.uniqueUsers()).isEqualTo(1);
        });
    }

    @Test
    void outOfOrderLoginsWithinGraceCountExactly() {
        login("TX", "alice", "00:00:50");
        login("TX", "bob", "00:00:05");
        login("TX", "alice", "00:00:04");

        StateStats window = latestWindows("TX").get("2023-09-12T00:00:00Z");

        assertThat(window.logins()).isEqualTo(3);
        assertThat(window.uniqueUsers()).isEqualTo(2);
    }

    @Test
    void loginLaterThanGraceIsLeftOutOfClosedWindowsButCountsInTheTotal() {
        login("WA", "u1", "00:00:05");
        login("WA", "u2", "00:02:00");
        // Stream time 00:02:00 closes every window that ended by 00:01:50, i.e. started by 00:00:50.
        login("WA", "u3", "00:00:06");

        Map<String, StateStats> windows = latestWindows("WA");

        assertThat(windows.get("2023-09-12T00:00:00Z").logins()).isEqualTo(1);
        assertThat(windows.values()).allSatisfy(w -> assertThat(w.totalLogins()).isEqualTo(3));
    }

    @Test
    void loginWithinGraceStillCountsInAWindowThatHasEnded() {
        login("OR", "u1", "00:00:05");
        login("OR", "u2", "00:01:05");
        // The window [00:00:00, 00:01:00) ended but its grace lasts until 00:01:10.
        login("OR", "u3", "00:00:59");

        assertThat(latestWindows("OR").get("2023-09-12T00:00:00Z").logins()).isEqualTo(2);
    }

    @Test
    void totalsAreRunningCountsNotSumsOfOverlappingWindows() {
        login("MA", "u1", "00:00:05");
        publish();
        login("MA", "u2", "00:05:05");
        publish();
        login("MA", "u3", "00:10:05");

        Map<String, StateStats> windows = latestWindows("MA");

        long sumOfWindows = windows.values().stream().mapToLong(StateStats::logins).sum();
        assertThat(sumOfWindows).isEqualTo(18);
        assertThat(windows.values().stream().mapToLong(StateStats::totalLogins).max()).hasValue(3);
        assertThat(latest(windows).lastLogin()).isEqualTo("2023-09-12T00:10:05Z");
    }

    @Test
    void cleanRecordAtOrBelowTheHighestCountedRawOffsetIsARedeliveryAndSkipped() {
        login("FL", "u1", "00:00:05", "0:41");
        login("FL", "u1", "00:00:05", "0:41");
        login("FL", "u2", "00:00:06", "0:40");
        login("FL", "u3", "00:00:07", "0:42");
        login("FL", "u4", "00:00:08", "1:7");

        StateStats window = latestWindows("FL").get("2023-09-12T00:00:00Z");

        assertThat(window.logins()).isEqualTo(3);
        assertThat(window.totalLogins()).isEqualTo(3);
    }

    @Test
    void changesArePublishedOncePerEmitIntervalNotOncePerLogin() {
        for (int i = 0; i < 100; i++) {
            clean.pipeInput("GA", cleanLogin("GA", "u" + i, "00:00:05"), T0.plusSeconds(5));
        }
        assertThat(stats.isEmpty()).isTrue();

        driver.advanceWallClockTime(Duration.ofMillis(500));

        List<TestRecord<String, StateStats>> published = stats.readRecordsToList();
        assertThat(published).hasSize(6);
        assertThat(published).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo("GA");
            assertThat(r.value().logins()).isEqualTo(100);
            assertThat(r.value().uniqueUsers()).isEqualTo(100);
        });
        driver.advanceWallClockTime(Duration.ofMillis(500));
        assertThat(stats.isEmpty()).isTrue();
    }

    @Test
    void statesAreCountedSeparatelyIncludingUnknown() {
        login("UNK", "u1", "00:00:05");
        login("UNK", "u2", "00:00:05");
        login("NV", "u1", "00:00:05");

        assertThat(latest(latestWindows("UNK")).totalLogins()).isEqualTo(2);
        assertThat(latest(latestWindows("NV")).totalLogins()).isEqualTo(1);
    }

    private void login(String state, String user, String time) {
        login(state, user, time, null);
    }

    private void login(String state, String user, String time, String sourceOffset) {
        CleanLogin value = cleanLogin(state, user, time);
        RecordHeaders headers = new RecordHeaders();
        if (sourceOffset != null) {
            headers.add(Topics.SOURCE_OFFSET, sourceOffset.getBytes(StandardCharsets.US_ASCII));
        }
        clean.pipeInput(new TestRecord<>(state, value, headers, Instant.parse(value.timestamp())));
    }

    private static CleanLogin cleanLogin(String state, String user, String time) {
        return new CleanLogin("2023-09-12T" + time + "Z", state, "android", user, "1.0", "10.0.0.1", "d-" + user);
    }

    /** Publishes what changed and returns the latest record per window start of one state, by window start. */
    private Map<String, StateStats> latestWindows(String state) {
        publish();
        return published.getOrDefault(state, new TreeMap<>());
    }

    /** Lets the wall clock pass the emit interval and collects what was published. */
    private void publish() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        for (StateStats record : stats.readValuesToList()) {
            published.computeIfAbsent(record.state(), s -> new TreeMap<>()).put(record.windowStart(), record);
        }
    }

    private static StateStats latest(Map<String, StateStats> windows) {
        return windows.values().stream().reduce((a, b) -> b).orElseThrow();
    }
}
