package dev.loginpulse.archiver.lake;

import java.util.List;

import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.StateStats;

import static org.assertj.core.api.Assertions.assertThat;

class StateWindowRuleTest {

    private static Record publication(String state, String start, long logins, long offset) {
        return LakeTables.stateWindow(new StateStats(state, start, "2026-12-01T10:01:00Z", logins, logins, logins,
                start), 0, offset);
    }

    @Test
    void theHighestRevisionOfEachStateAndWindowWinsWhateverTheOrderOfTheRows() {
        List<Record> rows = List.of(
                publication("TX", "2026-12-01T10:00:00Z", 7, 12),
                publication("TX", "2026-12-01T10:00:00Z", 3, 5),
                publication("TX", "2026-12-01T10:00:10Z", 1, 6),
                publication("CA", "2026-12-01T10:00:00Z", 2, 7),
                publication("TX", "2026-12-01T10:00:00Z", 5, 9));
        assertThat(StateWindowRule.latest(rows))
                .extracting(row -> row.getField("state") + " " + row.getField("window_start") + " "
                        + row.getField("logins"))
                .containsExactly("TX 2026-12-01T10:00Z 7", "TX 2026-12-01T10:00:10Z 1", "CA 2026-12-01T10:00Z 2");
    }
}
