package dev.loginpulse.dashboard.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the dashboard shows, as served by {@code GET /api/stats} and inside {@code /ws/stats} messages.
 *
 * @param totalLogins all logins since the start of the stats topic, the sum of the states' exact totals
 * @param windowLogins logins of all states in the current window
 * @param deadLettered records on the dead-letter topic since its start (a raw record the cleaner re-delivered after a
 *        crash counts again)
 * @param lateLogins logins too late for every window, the sum of the states' {@code late_logins} (they are in the
 *        totals, in no window)
 * @param droppedRecords records on {@code user-login-clean} that stats dropped because they cannot come from the
 *        cleaner (forged or malformed source headers), summed over its partitions
 * @param droppedByReason the same, by reason
 * @param windowStart start of the current window (ISO-8601 UTC), or null before any data
 * @param windowEnd end of the current window, or null
 * @param states every state seen, {@code UNK} included, by code
 * @param series logins of all states per window start, oldest first, the last 15 minutes
 * @param insights device mix, app versions, distinct devices and IPs, suspicious IPs of all states in the current
 *        window, or null before any insight arrived
 */
public record Snapshot(
        @JsonProperty("total_logins") long totalLogins,
        @JsonProperty("window_logins") long windowLogins,
        @JsonProperty("dead_lettered") long deadLettered,
        @JsonProperty("late_logins") long lateLogins,
        @JsonProperty("dropped_records") long droppedRecords,
        @JsonProperty("dropped_by_reason") Map<String, Long> droppedByReason,
        @JsonProperty("window_start") String windowStart,
        @JsonProperty("window_end") String windowEnd,
        @JsonProperty("states") List<StateRow> states,
        @JsonProperty("series") List<SeriesPoint> series,
        @JsonProperty("insights") InsightsPanel insights) {
}
