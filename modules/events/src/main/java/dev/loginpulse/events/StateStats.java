package dev.loginpulse.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Logins of one state in one hopping window, on {@link Topics#USER_LOGIN_STATS}, keyed by {@link #state()}. A window is
 * re-published whenever its figures change, so the latest record for a (state, window) pair wins.
 *
 * @param state a {@link UsState} code or {@link UsState#UNKNOWN}
 * @param windowStart window start, inclusive, ISO-8601 UTC
 * @param windowEnd window end, exclusive, ISO-8601 UTC
 * @param logins logins of the state in the window
 * @param uniqueUsers distinct {@code user_id}s of the state in the window
 * @param totalLogins all logins of the state since the start of {@link Topics#USER_LOGIN_CLEAN}, including those too
 *        late for any open window; a running count, never a sum of windows
 * @param lastLogin the latest event time seen for the state, ISO-8601 UTC
 * @param lateLogins logins of the state that came too late for every window (after the watermark passed their windows'
 *        end plus grace): counted in {@code totalLogins} only; a running count. Absent in records of earlier
 *        versions (read as 0)
 */
@RegisterForReflection
@JsonPropertyOrder({ "state", "window_start", "window_end", "logins", "unique_users", "total_logins", "last_login",
        "late_logins" })
public record StateStats(
        @JsonProperty("state") String state,
        @JsonProperty("window_start") String windowStart,
        @JsonProperty("window_end") String windowEnd,
        @JsonProperty("logins") long logins,
        @JsonProperty("unique_users") long uniqueUsers,
        @JsonProperty("total_logins") long totalLogins,
        @JsonProperty("last_login") String lastLogin,
        @JsonProperty("late_logins") long lateLogins) {

    /** Without late logins. */
    public StateStats(String state, String windowStart, String windowEnd, long logins, long uniqueUsers,
            long totalLogins, String lastLogin) {
        this(state, windowStart, windowEnd, logins, uniqueUsers, totalLogins, lastLogin, 0);
    }
}
