package dev.loginpulse.archiver.history;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A state's logins in one period (a day or an hour, UTC), from the lake's {@code logins} table.
 *
 * @param state a state code, or {@code UNK}
 * @param periodStart the period's start, ISO-8601 UTC
 * @param logins logins of the state in the period
 * @param distinctUsers distinct {@code user_id}s among them, exact
 */
@RegisterForReflection
@JsonPropertyOrder({ "state", "period_start", "logins", "distinct_users" })
public record HistoryItem(
        @JsonProperty("state") String state,
        @JsonProperty("period_start") String periodStart,
        @JsonProperty("logins") long logins,
        @JsonProperty("distinct_users") long distinctUsers) {
}
