package dev.loginpulse.dashboard.model;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.AppVersions;
import dev.loginpulse.events.DeviceMix;
import dev.loginpulse.events.DistinctCounts;
import dev.loginpulse.events.Insight;
import dev.loginpulse.events.SourceIntegrity;
import dev.loginpulse.events.StateInsights;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.StateWindows;
import dev.loginpulse.events.TopIps;
import dev.loginpulse.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;

class StatsBoardTest {

    private final StatsBoard board = new StatsBoard();

    @Test
    void droppedRecordsAreTheLatestCountsOfEachCleanPartitionSummedByReason() {
        board.apply(new SourceIntegrity(0, Map.of("impossible-source-offset", 1L), 0, iso(0)));
        board.apply(new SourceIntegrity(1, Map.of("malformed-source-offset", 2L), 5, iso(0)));
        long version = board.version();
        // a later record of partition 0 replaces its earlier one: running counts, not increments
        board.apply(new SourceIntegrity(0, Map.of("impossible-source-offset", 3L, "malformed-source-offset", 1L), 0,
                iso(10)));

        Snapshot snapshot = board.snapshot();

        assertThat(snapshot.droppedRecords()).isEqualTo(3 + 1 + 2);
        assertThat(snapshot.droppedByReason()).containsOnly(Map.entry("impossible-source-offset", 3L),
                Map.entry("malformed-source-offset", 3L));
        assertThat(board.version()).isGreaterThan(version);
    }

    @Test
    void emptyBoardHasNoWindowAndNoStates() {
        Snapshot snapshot = board.snapshot();

        assertThat(snapshot.totalLogins()).isZero();
        assertThat(snapshot.windowStart()).isNull();
        assertThat(snapshot.states()).isEmpty();
        assertThat(snapshot.droppedRecords()).isZero();
        assertThat(snapshot.droppedByReason()).isEmpty();
    }

    @Test
    void insightPanelsShowTheMapsCurrentWindowAndTheLatestRecordOfEachKind() {
        for (int start = -20; start <= 30; start += 10) {
            board.apply(stats("RI", start, 1, 1, 1, 35));
            board.apply(new DeviceMix(Insight.HOPPING, iso(start), iso(start + 60), 9, Map.of("web", 9L), 0));
        }
        String current = board.snapshot().windowStart();
        int currentSecond = (int) (Instant.parse(current).getEpochSecond() - Instant.parse(iso(0)).getEpochSecond());
        board.apply(new DeviceMix(Insight.HOPPING, current, iso(currentSecond + 60), 3,
                Map.of("android", 2L, "ios", 1L), 0));
        board.apply(new AppVersions(Insight.HOPPING, current, iso(currentSecond + 60), 3,
                Map.of("android", Map.of("2.3.0", 2L)), 1));
        board.apply(new DistinctCounts(Insight.HOPPING, current, iso(currentSecond + 60), 3, 2, 0.01625, 2));
        board.apply(new TopIps(Insight.HOPPING, current, iso(currentSecond + 60), 1, 1,
                List.of(new TopIps.IpCount("10.0.0.1", 2, true), new TopIps.IpCount("10.0.0.2", 1, false))));
        board.apply(new DeviceMix(Insight.TUMBLING, current, iso(currentSecond + 30), 99, Map.of("x", 99L), 0));

        InsightsPanel panel = board.snapshot().insights();

        assertThat(panel.windowStart()).isEqualTo(current);
        assertThat(panel.logins()).isEqualTo(3);
        assertThat(panel.deviceTypes()).isEqualTo(Map.of("android", 2L, "ios", 1L));
        assertThat(panel.appVersions()).isEqualTo(Map.of("android", Map.of("2.3.0", 2L)));
        assertThat(panel.distinctDevices()).isEqualTo(2);
        assertThat(panel.distinctIps()).isEqualTo(2);
        assertThat(panel.alertThreshold()).isEqualTo(1);
        assertThat(panel.ipsOverThreshold()).isEqualTo(1);
        assertThat(panel.topIps()).extracting(TopIps.IpCount::flagged).containsExactly(true, false);
    }

    @Test
    void withoutStateStatsTheInsightPanelsShowTheLatestWindowAndBeforeAnyInsightNone() {
        assertThat(board.snapshot().insights()).isNull();
        long version = board.version();

        board.apply(new DistinctCounts(Insight.HOPPING, iso(0), iso(60), 5, 4, 0.01625, 3));
        board.apply(new DistinctCounts(Insight.HOPPING, iso(10), iso(70), 6, 5, 0.01625, 4));

        assertThat(board.version()).isGreaterThan(version);
        assertThat(board.snapshot().insights().windowStart()).isEqualTo(iso(10));
        assertThat(board.snapshot().insights().distinctIps()).isEqualTo(4);
        assertThat(board.snapshot().insights().deviceTypes()).isEmpty();
    }

    private static String iso(int second) {
        return Instant.parse("2023-09-12T00:00:00Z").plusSeconds(second).toString();
    }

    /**
     * A newer stats version may add fields: the deserializer the dashboard's channel is configured with (Jackson without
     * {@code FAIL_ON_UNKNOWN_PROPERTIES}) reads the known ones and the board shows them.
     */
    @Test
    void statsRecordWithUnknownExtraFieldsIsReadByTheConfiguredDeserializerAndShown() throws Exception {
        Properties config = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            config.load(in);
        }
        String deserializerClass = config.getProperty("mp.messaging.incoming.user-login-stats.value.deserializer");
        @SuppressWarnings("unchecked")
        Deserializer<StateStats> deserializer = (Deserializer<StateStats>) Class.forName(deserializerClass)
                .getConstructor().newInstance();
        String json = "{\"state\":\"NV\",\"window_start\":\"" + at(0) + "\",\"window_end\":\"" + at(60)
                + "\",\"logins\":12,\"p95_latency_ms\":41.5,\"unique_users\":9,\"total_logins\":4711,"
                + "\"by_hour\":{\"00\":12},\"last_login\":\"" + at(51) + "\",\"late_logins\":2,\"tags\":[\"x\"]}";

        board.apply(deserializer.deserialize(Topics.USER_LOGIN_STATS, json.getBytes(StandardCharsets.UTF_8)));

        StateRow nevada = row(board.snapshot(), "NV");
        assertThat(nevada.logins()).isEqualTo(12);
        assertThat(nevada.uniqueUsers()).isEqualTo(9);
        assertThat(nevada.totalLogins()).isEqualTo(4711);
        assertThat(nevada.lateLogins()).isEqualTo(2);
        assertThat(nevada.lastLogin()).isEqualTo(at(51).toString());
    }

    @Test
    void totalsComeFromTheStreamAndAreNeverSumsOfOverlappingWindows() {
        // One login at 00:00:35 appears in six overlapping windows, each carrying total 1.
        for (int start = -20; start <= 30; start += 10) {
            board.apply(stats("RI", start, 1, 1, 1, 35));
        }

        Snapshot snapshot = board.snapshot();

        assertThat(snapshot.totalLogins()).isEqualTo(1);
        assertThat(row(snapshot, "RI").totalLogins()).isEqualTo(1);
        assertThat(snapshot.series()).hasSize(6);
    }

    @Test
    void currentWindowIsTheEarliestWindowContainingTheLatestLogin() {
        for (int start = -20; start <= 30; start += 10) {
            board.apply(stats("RI", start, 100 + start, 3, 100, 35));
        }

        Snapshot snapshot = board.snapshot();

        assertThat(snapshot.windowStart()).isEqualTo(at(-20).toString());
        assertThat(snapshot.windowEnd()).isEqualTo(at(40).toString());
        assertThat(row(snapshot, "RI").logins()).isEqualTo(80);
        assertThat(snapshot.windowLogins()).isEqualTo(80);
    }

    @Test
    void laterRecordForTheSameWindowReplacesTheEarlierOneAndTotalsOnlyGrow() {
        board.apply(stats("NY", 0, 5, 4, 50, 10));
        board.apply(stats("NY", 0, 7, 5, 52, 12));
        board.apply(stats("NY", 0, 6, 5, 51, 11));

        StateRow ny = row(board.snapshot(), "NY");

        assertThat(ny.logins()).isEqualTo(6);
        assertThat(ny.totalLogins()).isEqualTo(52);
        assertThat(ny.lastLogin()).isEqualTo(at(12).toString());
    }

    @Test
    void stateWithoutLoginsInTheCurrentWindowShowsZeroButKeepsItsTotal() {
        board.apply(stats("TX", 0, 3, 3, 3, 5));
        board.apply(stats("UNK", 600, 2, 2, 2, 605));

        Snapshot snapshot = board.snapshot();

        assertThat(row(snapshot, "TX").logins()).isZero();
        assertThat(row(snapshot, "TX").totalLogins()).isEqualTo(3);
        assertThat(row(snapshot, "UNK").name()).isEqualTo("Unknown locale");
        assertThat(snapshot.totalLogins()).isEqualTo(5);
    }

    @Test
    void historyOlderThanFifteenMinutesIsDropped() {
        board.apply(stats("CA", 0, 1, 1, 1, 5));
        board.apply(stats("CA", 3600, 1, 1, 2, 3605));

        assertThat(board.snapshot().series()).extracting(SeriesPoint::windowStart).containsExactly(at(3600).toString());
        assertThat(row(board.snapshot(), "CA").totalLogins()).isEqualTo(2);
    }

    @Test
    void stateHistoryListsItsWindowsOfTheLastFifteenMinutesNewestFirstWithTheLatestFigures() {
        board.apply(stats("NV", 0, 9, 9, 9, 5)); // 15 min 10 s before the newest window: dropped
        board.apply(stats("NV", 890, 2, 2, 11, 895));
        board.apply(stats("NV", 900, 3, 2, 12, 905));
        board.apply(stats("NV", 910, 1, 1, 13, 915));
        board.apply(stats("NV", 900, 4, 3, 14, 908)); // a later record for 900 replaces the earlier one
        board.apply(stats("AZ", 910, 7, 7, 7, 911));

        StateWindows history = board.history("NV").orElseThrow();
        assertThat(history.name()).isEqualTo("Nevada");
        assertThat(history.totalLogins()).isEqualTo(14);
        assertThat(history.lastLogin()).isEqualTo(at(915).toString());
        assertThat(history.windows()).containsExactly(
                new StateWindows.Window(at(910).toString(), at(970).toString(), 1, 1),
                new StateWindows.Window(at(900).toString(), at(960).toString(), 4, 3),
                new StateWindows.Window(at(890).toString(), at(950).toString(), 2, 2));
    }

    @Test
    void stateHistoryCarriesTheMixOfItsLastFullWindowTheEarliestOfItsWindowsHoldingItsLatestLogin() {
        board.apply(stats("NV", 850, 5, 5, 5, 855));
        board.apply(stats("NV", 890, 2, 2, 7, 895));
        board.apply(stats("NV", 910, 1, 1, 8, 915)); // windows holding 915 start after 855: 890 and 910
        board.apply(mix("NV", 850, "android", 5));
        board.apply(mix("NV", 910, "web", 1));
        board.apply(mix("AZ", 890, "tv", 9));
        assertThat(board.history("NV").orElseThrow().insights()).as("no mix of 890 yet").isNull();

        board.apply(mix("NV", 890, "ios", 2));
        board.apply(mix("NV", 890, "ios", 3)); // a later record for a window replaces the earlier one

        assertThat(board.history("NV").orElseThrow().insights()).isEqualTo(mix("NV", 890, "ios", 3));
        assertThat(board.history("PR").orElseThrow().insights()).isNull();
    }

    @Test
    void stateHistoryIsEmptyForAStateWithoutLoginsAndAbsentForAnUnknownCode() {
        board.apply(stats("NV", 0, 1, 1, 1, 5));

        assertThat(board.history("PR").orElseThrow().windows()).isEmpty();
        assertThat(board.history("UNK").orElseThrow().name()).isEqualTo("Unknown locale");
        assertThat(board.history("XX")).isEmpty();
        assertThat(board.history("nv")).as("codes are upper case; the REST resource normalises").isEmpty();
    }

    @Test
    void lateLoginsAreShownPerStateAndSummedAndOnlyGrow() {
        board.apply(new StateStats("VT", at(0).toString(), at(60).toString(), 5, 4, 9, at(10).toString(), 3));
        board.apply(new StateStats("VT", at(10).toString(), at(70).toString(), 2, 2, 10, at(12).toString(), 4));
        board.apply(new StateStats("VT", at(0).toString(), at(60).toString(), 5, 4, 9, at(10).toString(), 3));
        board.apply(new StateStats("ME", at(10).toString(), at(70).toString(), 1, 1, 1, at(11).toString(), 1));

        Snapshot snapshot = board.snapshot();

        assertThat(row(snapshot, "VT").lateLogins()).isEqualTo(4);
        assertThat(row(snapshot, "ME").lateLogins()).isEqualTo(1);
        assertThat(snapshot.lateLogins()).isEqualTo(5);
    }

    @Test
    void deadLettersAreCountedAndChangeTheVersion() {
        long before = board.version();
        board.deadLettered();
        board.deadLettered();

        assertThat(board.snapshot().deadLettered()).isEqualTo(2);
        assertThat(board.version()).isGreaterThan(before);
    }

    @Test
    void versionChangesWithEveryRecordAndIncompleteRecordsAreIgnored() {
        long before = board.version();
        board.apply(new StateStats(null, null, null, 0, 0, 0, null));
        assertThat(board.version()).isEqualTo(before);
        board.apply(stats("WA", 0, 1, 1, 1, 1));
        assertThat(board.version()).isGreaterThan(before);
    }

    private static StateRow row(Snapshot snapshot, String state) {
        return snapshot.states().stream().filter(r -> r.state().equals(state)).findFirst().orElseThrow();
    }

    private static Instant at(int seconds) {
        return Instant.parse("2023-09-12T00:00:00Z").plusSeconds(seconds);
    }

    private static StateInsights mix(String state, int startSecond, String device, long logins) {
        StateInsights.Ranking one = new StateInsights.Ranking(List.of(new StateInsights.Entry(device, logins)), 0);
        return new StateInsights(state, at(startSecond).toString(), at(startSecond + 60).toString(), logins, one,
                StateInsights.Ranking.EMPTY, StateInsights.Ranking.EMPTY);
    }

    private static StateStats stats(String state, int startSecond, long logins, long users, long total,
            int lastLoginSecond) {
        return new StateStats(state, at(startSecond).toString(), at(startSecond + 60).toString(), logins, users, total,
                at(lastLoginSecond).toString());
    }
}
