package dev.loginpulse.stats.streams;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.RawOffsets;
import dev.loginpulse.events.SourceIntegrity;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;
import dev.loginpulse.stats.streams.Counts.SourcePosition;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which windows are open, decided by the progress of every raw source partition ({@link SourceGate},
 * {@link SourceProgress}) rather than the largest event time seen; late logins counted; forged source offsets dropped
 * and counted; the progress restored after a restart. Expected figures are counted by brute force in the test, from
 * the logins it sends.
 */
class SourceProgressTopologyTest {

    private static final Instant T0 = Instant.parse("2023-09-12T00:00:00Z");
    private static final long SIZE = 60_000;
    private static final long ADVANCE = 10_000;

    private final Path stateDir = TestStateDir.create();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final Map<Integer, AtomicLong> nextOffset = new HashMap<>();
    /** Every login sent that is expected in windows: (state, event time, user). */
    private final List<Sent> sent = new ArrayList<>();
    private int piped;

    private TopologyTestDriver driver;
    private TestInputTopic<String, CleanLogin> clean;
    private TestOutputTopic<String, StateStats> stats;
    private TestOutputTopic<String, SourceIntegrity> integrity;
    private final Map<String, Map<String, StateStats>> published = new HashMap<>();
    private final Map<String, SourceIntegrity> integrityByKey = new HashMap<>();

    private record Sent(String state, long millis, String user) {
    }

    private void start(Clock clock, RawOffsets rawOffsets) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "stats-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(StatsTopology.build(WindowSpec.defaults(),
                new StatsEnvironment(clock, rawOffsets, metrics)), props, T0);
        clean = driver.createInputTopic(Topics.USER_LOGIN_CLEAN, new StringSerializer(), JsonSerde.cleanLogin());
        stats = driver.createOutputTopic(Topics.USER_LOGIN_STATS, new StringDeserializer(), JsonSerde.stateStats());
        integrity = driver.createOutputTopic(Topics.USER_LOGIN_INTEGRITY, new StringDeserializer(),
                JsonSerde.sourceIntegrity());
    }

    /** {@code user-login} with three partitions. */
    private void start() {
        start(Clock.systemUTC(), RawOffsets.unchecked(3));
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
        TestStateDir.delete(stateDir);
    }

    @Test
    void twoSourcePartitionsInterleavedThirtySecondsApartCloseNoWindowEarly() {
        start(Clock.systemUTC(), RawOffsets.unchecked(2));
        // the cleaner wrote one raw partition's fetch, then the other's, 30 s behind in event time
        for (int second = 60; second <= 120; second++) {
            send(0, "VT", second * 1000L, "u" + (second % 7));
        }
        for (int second = 30; second <= 90; second++) {
            send(1, "VT", second * 1000L, "w" + (second % 5));
        }

        assertWindowsExact("VT");
        assertThat(latest("VT").lateLogins()).isZero();
        assertThat(latest("VT").totalLogins()).isEqualTo(122);
        assertThat(metrics.late).isEmpty();
    }

    @Test
    void manyFetchesOfThreeSourcePartitionsInterleavedGiveExactWindows() {
        start();
        // three partitions, each in event-time order, written fetch by fetch: 20 s of event time per fetch
        for (int fetch = 0; fetch < 15; fetch++) {
            for (int partition = 0; partition < 3; partition++) {
                int first = fetch * 20 - partition * 7; // partitions at different paces
                for (int second = Math.max(first, 0); second < first + 20; second++) {
                    String state = second % 3 == 0 ? "NY" : "CA";
                    send(partition, state, second * 1000L + partition, "u" + (second * 31 + partition) % 40);
                }
            }
        }

        assertWindowsExact("NY");
        assertWindowsExact("CA");
        assertThat(metrics.late).isEmpty();
    }

    @Test
    void idleSourcePartitionStopsHoldingWindowsOpenOnceTheOthersAreMaxSourceLagAhead() {
        start(Clock.systemUTC(), RawOffsets.unchecked(2));
        send(0, "RI", 0, "a");
        send(1, "RI", 0, "b");
        // partition 1 falls idle; partition 0 goes on to 00:05:00, so the watermark is 00:03:00 (2 min lag)
        for (int second = 1; second <= 300; second++) {
            send(0, "RI", second * 1000L, "a");
        }
        send(0, "RI", 180_000, "c"); // its earliest window [00:02:10, 00:03:10) closes at 00:03:20: all open

        sendLate(1, "RI", 5_000, "b"); // every window of 00:00:05 ended by 00:01:05: late

        assertWindowsExact("RI");
        assertThat(latest("RI").lateLogins()).isEqualTo(1);
        assertThat(latest("RI").totalLogins()).isEqualTo(304);
        assertThat(metrics.late).containsEntry("RI", 1L);
    }

    @Test
    void loginPastGraceIsLateCountsInTheTotalAndShowsInTheRecordAndMetric() {
        start(Clock.systemUTC(), RawOffsets.unchecked(1));
        send(0, "TX", 100_000, "a"); // watermark 00:01:40
        send(0, "TX", 45_000, "b"); // window [00:00:40, 00:01:40) closes at 00:01:50: open; earlier ones closed
        sendLate(0, "TX", 20_000, "c"); // last window [00:00:20, 00:01:20) closed at 00:01:30: late

        Map<String, StateStats> windows = windows("TX");
        assertThat(windows.get("2023-09-12T00:00:40Z").logins()).isEqualTo(1); // b alone: 00:01:40 is past its end
        assertThat(windows).doesNotContainKey("2023-09-12T00:00:00Z"); // closed before b came, nobody else in it
        assertWindowsExactWhereOpen("TX", 40_000);
        assertThat(latest("TX").totalLogins()).isEqualTo(3);
        assertThat(latest("TX").lateLogins()).isEqualTo(1);
        assertThat(metrics.late).containsEntry("TX", 1L);
    }

    @Test
    void lateLoginOfAStateWhoseOnlyLoginsAreFromTheEpochIsCountedWithoutStoppingTheTask() {
        start(Clock.systemUTC(), RawOffsets.unchecked(1));
        send(0, "TX", 0, "a"); // the watermark at 2023-09-12
        // 1970-01-01T00:00:05Z, a timestamp of 5: late for every window, the state's first and only login
        long epochLogin = -T0.toEpochMilli() + 5_000;
        sendLate(0, "NY", epochLogin, "b");
        publish(); // emits NY's total with its latest window, near the epoch
        send(0, "NY", 1_000, "c");

        assertThat(latest("NY").totalLogins()).isEqualTo(2);
        assertThat(latest("NY").lateLogins()).isEqualTo(1);
        assertThat(windows("NY").get("2023-09-12T00:00:00Z").logins()).isEqualTo(1);
    }

    @Test
    void futureDatedLoginCountsAtTheClockAndClosesNoCurrentWindow() {
        Instant now = T0.plus(Duration.ofMinutes(10));
        start(Clock.fixed(now, ZoneOffset.UTC), RawOffsets.unchecked(3));
        long nowMs = now.toEpochMilli() - T0.toEpochMilli();

        // a device clock 59 minutes ahead (inside the cleaner's 1 h skew), then current logins
        sendAt(0, "VT", nowMs + Duration.ofMinutes(59).toMillis(), nowMs, "future");
        for (int i = 0; i < 1000; i++) {
            send(i % 3, "VT", nowMs - 60_000 + i * 60L, "u" + i % 17);
        }

        Map<String, StateStats> windows = windows("VT");
        assertThat(windows.keySet()).allSatisfy(start -> assertThat(Instant.parse(start)).isBeforeOrEqualTo(now));
        assertWindowsExact("VT");
        assertThat(latest("VT").lateLogins()).isZero();
        assertThat(latest("VT").totalLogins()).isEqualTo(1001);
    }

    @Test
    void forgedSourceOffsetIsDroppedAndCountedAndLaterLoginsOfItsPartitionStillCount() {
        start(Clock.systemUTC(), new RawOffsets() {
            @Override
            public long endOffset(int partition) {
                return partition < 3 ? 1_000 : -1;
            }

            @Override
            public int partitions() {
                return 1;
            }
        });
        pipe(header("0:9223372036854775807"), "VT", 1_000, "forger");
        pipe(header("7:1"), "VT", 1_000, "no-such-partition");
        pipe(header("zero:one"), "VT", 1_000, "garbage");
        pipe(header("0:-5"), "VT", 1_000, "negative");
        for (int i = 0; i < 500; i++) {
            send(0, "VT", 2_000 + i * 10L, "u" + i % 50);
        }

        assertThat(latest("VT").totalLogins()).isEqualTo(500);
        assertWindowsExact("VT");
        assertThat(metrics.dropped).containsEntry(SourceGate.IMPOSSIBLE_SOURCE_OFFSET, 2L)
                .containsEntry(SourceGate.MALFORMED_SOURCE, 2L);
        // and on user-login-integrity, for the dashboard: the task's running counts, latest record per key
        assertThat(latestIntegrity()).containsOnlyKeys(SourceIntegrity.key(0));
        SourceIntegrity counts = latestIntegrity().get(SourceIntegrity.key(0));
        assertThat(counts.dropped()).containsOnly(Map.entry(SourceGate.IMPOSSIBLE_SOURCE_OFFSET, 2L),
                Map.entry(SourceGate.MALFORMED_SOURCE, 2L));
        assertThat(counts.redeliveriesSkipped()).isZero();
    }

    @Test
    void integrityCountsArePublishedOnceAtStartThenOnlyWhenTheyChangeAndAreKeptInAChangelog() {
        start(Clock.systemUTC(), partition -> 1_000);
        send(0, "ME", 1_000, "a");
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(integrity.readValuesToList()).as("at start, nothing dropped")
                .singleElement().satisfies(record -> {
                    assertThat(record.droppedTotal()).isZero();
                    assertThat(record.redeliveriesSkipped()).isZero();
                });
        driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertThat(integrity.readValuesToList()).as("unchanged: not published again").isEmpty();

        pipe(header("0:0"), "ME", 1_000, "a"); // a re-delivery
        pipe(header("0:50000"), "ME", 2_000, "b"); // a jump past the raw partition's end
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        assertThat(integrity.readValuesToList()).singleElement().satisfies(record -> {
            assertThat(record.dropped()).containsOnly(Map.entry(SourceGate.IMPOSSIBLE_SOURCE_OFFSET, 1L));
            assertThat(record.redeliveriesSkipped()).isEqualTo(1);
        });
        Map<String, Long> changelog = new HashMap<>();
        driver.createOutputTopic("stats-test-" + StatsTopology.SOURCE_INTEGRITY_STORE + "-changelog",
                new StringDeserializer(), new LongDeserializer()).readKeyValuesToList()
                .forEach(entry -> changelog.put(entry.key, entry.value));
        assertThat(changelog).containsOnly(Map.entry(IntegrityPublisher.REDELIVERIES, 1L),
                Map.entry(IntegrityPublisher.DROPPED_PREFIX + SourceGate.IMPOSSIBLE_SOURCE_OFFSET, 1L));
    }

    @Test
    void offsetFarAheadOfTheLastIsCheckedAndAcceptedWhenTheRawPartitionHasIt() {
        start(Clock.systemUTC(), partition -> 1_000_000);
        send(0, "ME", 1_000, "a");
        pipe(header("0:900000"), "ME", 2_000, "b"); // a long run of dead letters in between
        sent.add(new Sent("ME", 2_000, "b"));
        pipe(header("0:900000"), "ME", 2_000, "b"); // and the cleaner's re-delivery of it

        assertThat(latest("ME").totalLogins()).isEqualTo(2);
        assertWindowsExact("ME");
        assertThat(metrics.redeliveries.get()).isEqualTo(1);
        assertThat(metrics.dropped).isEmpty();
    }

    @Test
    void progressOfEachSourcePartitionIsWrittenToTheChangelogARestartRestoresFrom() {
        start();
        send(0, "NH", 0, "a");
        for (int second = 1; second <= 300; second++) {
            send(1, "NH", second * 1000L, "b");
        }
        send(0, "NH", 7_000, "a");

        // what a restarted instance reads back (TopologyTestDriver itself cannot restart on its state)
        Map<String, SourcePosition> changelog = new HashMap<>();
        TestOutputTopic<String, SourcePosition> topic = driver.createOutputTopic(
                "stats-test-" + StatsTopology.SOURCE_PROGRESS_STORE + "-changelog", new StringDeserializer(),
                SourcePosition.SERDE.deserializer());
        topic.readKeyValuesToList().forEach(entry -> changelog.put(entry.key, entry.value));
        long t0 = T0.toEpochMilli();
        assertThat(changelog).containsOnly(Map.entry("0", new SourcePosition(1, t0 + 7_000)),
                Map.entry("1", new SourcePosition(299, t0 + 300_000)));
    }

    // --- sending

    private void send(int partition, String state, long millis, String user) {
        sendAt(partition, state, millis, millis, user);
    }

    /** A login whose windows are expected at {@code countedAt} (the clock's time for a future-dated login). */
    private void sendAt(int partition, String state, long millis, long countedAt, String user) {
        long offset = nextOffset.computeIfAbsent(partition, p -> new AtomicLong()).getAndIncrement();
        pipe(header(partition + ":" + offset), state, millis, user);
        sent.add(new Sent(state, countedAt, user));
    }

    /** A login expected in the total and the late count, in no window. */
    private void sendLate(int partition, String state, long millis, String user) {
        long offset = nextOffset.computeIfAbsent(partition, p -> new AtomicLong()).getAndIncrement();
        pipe(header(partition + ":" + offset), state, millis, user);
    }

    private static RecordHeaders header(String sourceOffset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.SOURCE_OFFSET, sourceOffset.getBytes(StandardCharsets.US_ASCII));
        return headers;
    }

    private void pipe(RecordHeaders headers, String state, long millis, String user) {
        Instant time = T0.plusMillis(millis);
        CleanLogin login = new CleanLogin(Instant.ofEpochSecond(time.getEpochSecond()).toString(), state, "web", user,
                "1.0", "10.0.0.1", "d-" + user);
        clean.pipeInput(new TestRecord<>(state, login, headers, time));
        // an emit interval every ten logins: every window is published while it is still in the store
        if (++piped % 10 == 0) {
            driver.advanceWallClockTime(Duration.ofMillis(100));
        }
    }

    // --- expectations, by brute force over what was sent

    private void assertWindowsExact(String state) {
        assertWindowsExactWhereOpen(state, Long.MIN_VALUE);
    }

    /** Every published window of the state starting at or after {@code from} equals the brute-force count. */
    private void assertWindowsExactWhereOpen(String state, long from) {
        Map<Long, Long> logins = new TreeMap<>();
        Map<Long, Set<String>> users = new HashMap<>();
        for (Sent login : sent) {
            if (!login.state().equals(state)) {
                continue;
            }
            long seconds = Math.floorDiv(login.millis(), 1000) * 1000; // the clean timestamp has seconds precision
            for (long start = Math.floorDiv(seconds, ADVANCE) * ADVANCE; start > seconds - SIZE; start -= ADVANCE) {
                long absolute = T0.toEpochMilli() + start;
                if (absolute >= 0 && start >= from) {
                    logins.merge(start, 1L, Long::sum);
                    users.computeIfAbsent(start, s -> new HashSet<>()).add(login.user());
                }
            }
        }
        Map<String, StateStats> windows = windows(state);
        Map<Long, Long> actualLogins = new TreeMap<>();
        Map<Long, Long> actualUsers = new TreeMap<>();
        windows.forEach((start, record) -> {
            long relative = Instant.parse(start).toEpochMilli() - T0.toEpochMilli();
            if (relative >= from) {
                actualLogins.put(relative, record.logins());
                actualUsers.put(relative, record.uniqueUsers());
            }
        });
        Map<Long, Long> expectedUsers = new TreeMap<>();
        users.forEach((start, set) -> expectedUsers.put(start, (long) set.size()));
        assertThat(actualLogins).as("logins per window start (ms after T0) of %s", state).isEqualTo(logins);
        assertThat(actualUsers).as("distinct users per window start (ms after T0) of %s", state)
                .isEqualTo(expectedUsers);
    }

    private Map<String, StateStats> windows(String state) {
        publish();
        return published.getOrDefault(state, new TreeMap<>());
    }

    private StateStats latest(String state) {
        publish();
        StateStats latest = null;
        for (StateStats record : published.getOrDefault(state, Map.of()).values()) {
            if (latest == null || record.totalLogins() > latest.totalLogins()
                    || record.totalLogins() == latest.totalLogins() && record.lateLogins() > latest.lateLogins()) {
                latest = record;
            }
        }
        assertThat(latest).as("a published record of %s", state).isNotNull();
        return latest;
    }

    /** The latest {@link SourceIntegrity} per key published so far. */
    private Map<String, SourceIntegrity> latestIntegrity() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        integrity.readKeyValuesToList().forEach(entry -> integrityByKey.put(entry.key, entry.value));
        return integrityByKey;
    }

    private void publish() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        for (StateStats record : stats.readValuesToList()) {
            published.computeIfAbsent(record.state(), s -> new TreeMap<>()).put(record.windowStart(), record);
        }
    }

    /** Counts what the topology reports, by key. */
    private static final class RecordingMetrics implements StatsMetrics {
        private final Map<String, Long> late = new ConcurrentHashMap<>();
        private final Map<String, Long> dropped = new ConcurrentHashMap<>();
        private final AtomicLong redeliveries = new AtomicLong();

        @Override
        public void lateLogin(String state) {
            late.merge(state, 1L, Long::sum);
        }

        @Override
        public void droppedRecord(String reason) {
            dropped.merge(reason, 1L, Long::sum);
        }

        @Override
        public void redelivery() {
            redeliveries.incrementAndGet();
        }
    }
}
