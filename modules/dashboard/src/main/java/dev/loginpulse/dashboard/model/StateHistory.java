package dev.loginpulse.dashboard.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code GET /api/states/{code}} of the dashboard: one state's windows of the last {@link StatsBoard#HISTORY}, as the
 * stats stream gave them (the figures of the stats service's own {@code /api/states/{code}}, kept by the dashboard).
 *
 * @param state the code, e.g. {@code "RI"}, or {@code "UNK"}
 * @param name the display name
 * @param totalLogins exact logins since the start
 * @param windows newest first; empty when the state had no logins in that time
 */
@RegisterForReflection
public record StateHistory(
        @JsonProperty("state") String state,
        @JsonProperty("name") String name,
        @JsonProperty("total_logins") long totalLogins,
        @JsonProperty("windows") List<Window> windows) {

    /**
     * One window of one state.
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
