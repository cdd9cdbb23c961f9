package dev.loginpulse.dashboard.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Logins of all states in one window.
 *
 * @param windowStart the window's start, ISO-8601 UTC
 * @param logins the logins
 */
public record SeriesPoint(
        @JsonProperty("window_start") String windowStart,
        @JsonProperty("logins") long logins) {
}
