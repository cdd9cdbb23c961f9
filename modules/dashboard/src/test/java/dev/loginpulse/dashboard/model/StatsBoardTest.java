package dev.loginpulse.dashboard.model;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.loginpulse.events.StateStats;

import static org.assertj.core.api.Assertions.assertThat;

class StatsBoardTest {

    private final StatsBoard board = new StatsBoard();

    @Test
    void emptyBoardHasNoWindowAndNoStates() {
        Snapshot snapshot = board.snapshot();

        assertThat(snapshot.totalLogins()).isZero();
        assertThat(snapshot.windowStart()).isNull();
        assertThat(snapshot.states()).isEmpty();
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

    private static StateStats stats(String state, int startSecond, long logins, long users, long total,
            int lastLoginSecond) {
        return new StateStats(state, at(startSecond).toString(), at(startSecond + 60).toString(), logins, users, total,
                at(lastLoginSecond).toString());
    }
}
