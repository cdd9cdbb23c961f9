package dev.loginpulse.archiver.lake;

import java.time.OffsetDateTime;
import java.util.List;

import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StateWindowRuleTest {

    /** A row of the table as Iceberg's generic reader returns it (what StateWindowRule reads). */
    private static Record publication(String state, String start, long logins, long offset) {
        Record row = GenericRecord.create(LakeTables.STATE_WINDOWS_SCHEMA);
        row.setField("state", state);
        row.setField("window_start", OffsetDateTime.parse(start));
        row.setField("window_end", OffsetDateTime.parse(start).plusMinutes(1));
        row.setField("logins", logins);
        row.setField(LakeTables.REVISION, offset);
        return row;
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
