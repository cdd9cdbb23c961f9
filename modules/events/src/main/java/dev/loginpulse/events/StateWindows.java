package dev.loginpulse.events;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One state's recent windows, the answer of {@code GET /api/states/{code}} of both the stats service (from its
 * stores, every window still kept) and the dashboard (from the stats stream, the last 15 minutes): one contract,
 * documented in {@code docs/contracts.md}.
 *
 * @param state the code, e.g. {@code "RI"}, or {@code "UNK"}
 * @param name its display name
 * @param totalLogins all logins since the start of {@code user-login-clean}
 * @param lastLogin latest event time, ISO-8601 UTC, or null
 * @param windows newest first; none if the state had no logins lately
 * @param insights the device types, app versions and top IPs of the state's last full window (of the windows containing
 *        its latest login, the one that started first); null if unknown (no logins lately)
 */
@RegisterForReflection
public record StateWindows(
        @JsonProperty("state") String state,
        @JsonProperty("name") String name,
        @JsonProperty("total_logins") long totalLogins,
        @JsonProperty("last_login") String lastLogin,
        @JsonProperty("windows") List<Window> windows,
        @JsonProperty("insights") StateInsights insights) {

    /**
     * One hopping window of one state.
     *
     * @param windowStart start, inclusive, ISO-8601 UTC
     * @param windowEnd end, exclusive
     * @param logins logins
     * @param uniqueUsers distinct users, exact
     */
    @RegisterForReflection
    public record Window(
            @JsonProperty("window_start") String windowStart,
            @JsonProperty("window_end") String windowEnd,
            @JsonProperty("logins") long logins,
            @JsonProperty("unique_users") long uniqueUsers) {
    }
}
