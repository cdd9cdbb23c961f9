package dev.loginpulse.archiver.history;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The answer of {@code GET /api/history/states}: the range asked for, widened to whole periods, and an item per
 * (state, period) that had logins.
 *
 * @param from inclusive, ISO-8601 UTC
 * @param to exclusive, ISO-8601 UTC
 * @param granularity {@code day} or {@code hour}
 * @param items by period, then state
 */
@RegisterForReflection
@JsonPropertyOrder({ "from", "to", "granularity", "items" })
public record History(
        @JsonProperty("from") String from,
        @JsonProperty("to") String to,
        @JsonProperty("granularity") String granularity,
        @JsonProperty("items") List<HistoryItem> items) {
}
