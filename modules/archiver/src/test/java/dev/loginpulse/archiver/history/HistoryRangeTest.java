package dev.loginpulse.archiver.history;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryRangeTest {

    @Test
    void datesCoverWholeDaysWithTheLastOneIncluded() {
        HistoryRange range = HistoryRange.parse("2026-12-01", "2026-12-07", null);

        assertThat(range.from()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(range.to()).isEqualTo(Instant.parse("2026-12-08T00:00:00Z"));
        assertThat(range.granularity()).isEqualTo(HistoryRange.Granularity.DAY);
    }

    @Test
    void instantsAreWidenedToWholePeriodsWithAnExclusiveEnd() {
        HistoryRange hours = HistoryRange.parse("2026-12-01T10:15:00Z", "2026-12-01T12:00:00Z", "HOUR");
        assertThat(hours.from()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(hours.to()).as("an end on a period's start stays").isEqualTo(Instant.parse("2026-12-01T12:00:00Z"));

        HistoryRange days = HistoryRange.parse("2026-12-01T10:15:00Z", "2026-12-02T00:00:01Z", "day");
        assertThat(days.from()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(days.to()).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
    }

    @Test
    void theLongestRangesAreAYearOfDaysAndAMonthOfHours() {
        assertThat(HistoryRange.parse("2024-01-01", "2024-12-31", "day").to())
                .as("366 days of a leap year").isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(HistoryRange.parse("2025-01-01", "2026-01-01", "day").to()).as("366 days of a common year's end")
                .isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
        assertThatThrownBy(() -> HistoryRange.parse("2025-01-01", "2026-01-02", "day"))
                .hasMessageContaining("longer than the 366 days a query by day may cover");
        assertThat(HistoryRange.parse("2026-12-01", "2026-12-31", "hour").to())
                .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThatThrownBy(() -> HistoryRange.parse("2026-12-01", "2027-01-01", "hour"))
                .hasMessageContaining("longer than the 31 days a query by hour may cover");
    }

    @Test
    void missingUnreadableOrEmptyRangesAndUnknownGranularitiesSayWhatIsWrong() {
        assertThatThrownBy(() -> HistoryRange.parse(null, "2026-12-01", "day"))
                .hasMessageContaining("'from' is required");
        assertThatThrownBy(() -> HistoryRange.parse("2026-12-01", " ", "day")).hasMessageContaining("'to' is required");
        assertThatThrownBy(() -> HistoryRange.parse("2026-13-01", "2026-12-01", "day"))
                .hasMessageContaining("'from' is '2026-13-01', neither an ISO date");
        assertThatThrownBy(() -> HistoryRange.parse("2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z", "hour"))
                .hasMessageContaining("must be before");
        assertThatThrownBy(() -> HistoryRange.parse("2026-12-01", "2026-12-02", "week"))
                .hasMessageContaining("'granularity' must be 'day' or 'hour', not 'week'");
    }
}
