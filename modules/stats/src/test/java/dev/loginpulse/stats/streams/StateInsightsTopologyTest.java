package dev.loginpulse.stats.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.StateInsights;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-state mix on {@code user-login-state-insights}: device types, app versions and IPs of each (state, window),
 * against counts made here from the logins sent.
 */
class StateInsightsTopologyTest {

    private static final Instant T0 = Instant.parse("2023-09-12T00:00:00Z");
    private static final Duration SIZE = Duration.ofSeconds(60);
    private static final Duration ADVANCE = Duration.ofSeconds(10);

    private final Path stateDir = TestStateDir.create();
    private TopologyTestDriver driver;
    private TestInputTopic<String, CleanLogin> clean;
    private TestOutputTopic<String, StateInsights> insights;
    private TestOutputTopic<String, StateStats> stats;

    @BeforeEach
    void startDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "state-insights-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(StatsTopology.build(WindowSpec.defaults(), StatsEnvironment.unchecked()), props,
                T0.plus(Duration.ofMinutes(10)));
        clean = driver.createInputTopic(Topics.USER_LOGIN_CLEAN, new StringSerializer(), JsonSerde.cleanLogin());
        insights = driver.createOutputTopic(Topics.USER_LOGIN_STATE_INSIGHTS, new StringDeserializer(),
                JsonSerde.stateInsights());
        stats = driver.createOutputTopic(Topics.USER_LOGIN_STATS, new StringDeserializer(), JsonSerde.stateStats());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
        TestStateDir.delete(stateDir);
    }

    @Test
    void devicesAppVersionsAndIpsOfEachStatesLastFullWindowAreCountedExactlyWhileAPaneHasFewValues() {
        Random random = new Random(3);
        List<String> states = List.of("VT", "RI", "CA");
        List<String> devices = List.of("android", "ios", "web", "unknown");
        List<String> versions = List.of("1.0", "1.1", "2.0", "2.1", "3.0");
        List<CleanLogin> sent = new ArrayList<>();
        int checked = 0;
        for (int i = 0; i < 450; i++) {
            Instant time = T0.plusMillis(i * 200L); // in order, over 90 s
            String ip = random.nextInt(10) == 0 ? "unknown" : "10.0.0." + random.nextInt(25);
            CleanLogin login = new CleanLogin(time.toString(), states.get(random.nextInt(states.size())),
                    devices.get(random.nextInt(devices.size())), "user-" + random.nextInt(200),
                    versions.get(random.nextInt(versions.size())), ip, "device-" + i);
            sent.add(login);
            clean.pipeInput(new TestRecord<>(login.locale(), login, new RecordHeaders(), time));
            if (i % 45 == 44) { // an emission every 9 s of logins
                Map<String, StateInsights> published = publishedInsights();
                Map<String, StateStats> publishedStats = publishedStats();
                assertThat(published.values()).extracting(StateInsights::state).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(states);
                for (StateInsights record : published.values()) {
                    assertMatchesCountsOf(record, sent);
                    String key = record.state() + " " + record.windowStart();
                    assertThat(record.logins()).as(key).isEqualTo(publishedStats.get(key).logins());
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(30);
    }

    /** The record is the state's last full window so far, and its lists are the exact counts of the logins sent. */
    private static void assertMatchesCountsOf(StateInsights record, List<CleanLogin> sent) {
        Instant last = sent.stream().filter(login -> login.locale().equals(record.state()))
                .map(login -> Instant.parse(login.timestamp())).max(Instant::compareTo).orElseThrow();
        long lastPane = Math.floorDiv(last.toEpochMilli(), ADVANCE.toMillis());
        long firstWindow = Math.max(0, lastPane - SIZE.dividedBy(ADVANCE) + 1);
        Instant start = Instant.ofEpochMilli(firstWindow * ADVANCE.toMillis());
        String key = record.state() + " " + record.windowStart();
        assertThat(record.windowStart()).as(key).isEqualTo(start.toString());
        assertThat(record.windowEnd()).as(key).isEqualTo(start.plus(SIZE).toString());
        Expected counts = new Expected();
        sent.stream().filter(login -> login.locale().equals(record.state()))
                .filter(login -> !Instant.parse(login.timestamp()).isBefore(start)
                        && Instant.parse(login.timestamp()).isBefore(start.plus(SIZE)))
                .forEach(counts::add);
        assertThat(record.logins()).as(key).isEqualTo(counts.logins);
        assertThat(record.devices()).as(key).isEqualTo(ranking(counts.devices));
        assertThat(record.appVersions()).as(key).isEqualTo(ranking(counts.versions));
        assertThat(record.ips()).as(key).isEqualTo(ranking(counts.ips));
    }

    @Test
    void anIpWithManyLoginsAmongMoreIpsThanAPaneCountsIsListedFirstWithinTheStatedError() {
        Random random = new Random(5);
        int heavy = 0;
        for (int i = 0; i < 600; i++) {
            Instant time = T0.plusMillis(i * 10L); // all in the first pane
            String ip;
            if (i % 6 == 0) {
                ip = "10.66.66.66";
                heavy++;
            } else {
                ip = "10." + random.nextInt(256) + "." + random.nextInt(256) + ".1";
            }
            CleanLogin login = new CleanLogin(time.toString(), "NV", "ios", "user-" + i, "1.0", ip, "device-" + i);
            clean.pipeInput(new TestRecord<>("NV", login, new RecordHeaders(), time));
        }

        // the last full window: of the windows containing the latest login, the one that started first
        StateInsights window = publishedInsights().get("NV " + T0.minus(SIZE).plus(ADVANCE));

        assertThat(window.logins()).isEqualTo(600);
        assertThat(window.ips().maxError()).isPositive();
        assertThat(window.ips().top().get(0).value()).isEqualTo("10.66.66.66");
        assertThat(window.ips().top().get(0).logins()).isBetween((long) heavy,
                heavy + window.ips().maxError());
        assertThat(window.ips().top().get(0).minLogins()).isBetween(heavy - window.ips().maxError(), (long) heavy);
        assertThat(window.ips().top()).as("no random IP (one login each) is surely counted twice")
                .filteredOn(entry -> entry.minLogins() > 1).hasSize(1);
        assertThat(window.devices().top()).containsExactly(new StateInsights.Entry("ios", 600));
        assertThat(window.devices().maxError()).isZero();
    }

    /** What one emission published, by "state window-start". */
    private Map<String, StateInsights> publishedInsights() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        Map<String, StateInsights> latest = new TreeMap<>();
        insights.readValuesToList().forEach(record -> latest.put(record.state() + " " + record.windowStart(), record));
        return latest;
    }

    private Map<String, StateStats> publishedStats() {
        Map<String, StateStats> latest = new TreeMap<>();
        stats.readValuesToList().forEach(record -> latest.put(record.state() + " " + record.windowStart(), record));
        return latest;
    }

    /** Most first, ties by value, at most {@link StateInsights#TOP}; exact, so no error. */
    private static StateInsights.Ranking ranking(Map<String, Long> counts) {
        List<StateInsights.Entry> entries = new ArrayList<>();
        counts.forEach((value, logins) -> entries.add(new StateInsights.Entry(value, logins)));
        entries.sort(Comparator.comparingLong(StateInsights.Entry::logins).reversed()
                .thenComparing(StateInsights.Entry::value));
        return new StateInsights.Ranking(entries.subList(0, Math.min(StateInsights.TOP, entries.size())), 0);
    }

    private static final class Expected {
        long logins;
        final Map<String, Long> devices = new HashMap<>();
        final Map<String, Long> versions = new HashMap<>();
        final Map<String, Long> ips = new HashMap<>();

        void add(CleanLogin login) {
            logins++;
            devices.merge(login.deviceType(), 1L, Long::sum);
            versions.merge(login.appVersion(), 1L, Long::sum);
            if (!"unknown".equals(login.ip())) {
                ips.merge(login.ip(), 1L, Long::sum);
            }
        }
    }
}
