package dev.loginpulse.dashboard.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One state on the dashboard.
 *
 * @param state the code, e.g. {@code "RI"}, or {@code "UNK"}
 * @param name the display name
 * @param totalLogins exact logins since the start
 * @param logins logins in the current window
 * @param uniqueUsers distinct users in the current window
 * @param lastLogin latest event time seen, ISO-8601 UTC
 * @param lateLogins logins too late for every window, counted in the total only
 */
public record StateRow(
        @JsonProperty("state") String state,
        @JsonProperty("name") String name,
        @JsonProperty("total_logins") long totalLogins,
        @JsonProperty("logins") long logins,
        @JsonProperty("unique_users") long uniqueUsers,
        @JsonProperty("last_login") String lastLogin,
        @JsonProperty("late_logins") long lateLogins) {
}
