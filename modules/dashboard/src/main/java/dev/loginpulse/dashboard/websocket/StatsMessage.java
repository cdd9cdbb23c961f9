package dev.loginpulse.dashboard.websocket;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.loginpulse.dashboard.model.Snapshot;

/**
 * A message on {@code /ws/stats}: {@code {"type": "snapshot"|"update", "stats": {...}}}.
 *
 * @param type {@link #SNAPSHOT} once on open, then {@link #UPDATE}
 * @param stats the figures, the same shape as {@code GET /api/stats}
 */
public record StatsMessage(@JsonProperty("type") String type, @JsonProperty("stats") Snapshot stats) {

    public static final String SNAPSHOT = "snapshot";
    public static final String UPDATE = "update";
}
