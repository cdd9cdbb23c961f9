package dev.loginpulse.events;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What one state's logins in one hopping window were made of, on {@link Topics#USER_LOGIN_STATE_INSIGHTS}, keyed by
 * {@link #state()}: its device types, app versions and IPs with the most logins. Published with the state's
 * {@link StateStats} whenever they change, for one window only: its last full window (of the windows containing its
 * latest login, the one that started first, the window {@link StateWindows#insights()} shows). The latest record for a
 * (state, window) wins.
 * <p>
 * Each list is counted per pane (one window advance) with a bounded summary of {@link #SUMMARY_SIZE} values
 * (Space-Saving): while a pane has no more distinct values than that, its counts are exact; beyond, a value's count is
 * off by at most {@link Ranking#maxError()} logins, every value with more logins than that is listed, and
 * {@link Entry#minLogins()} says how many it surely had. Device types
 * and app versions stay far below the bound; IPs of a busy state do not.
 *
 * @param state a {@link UsState} code or {@link UsState#UNKNOWN}
 * @param windowStart window start, inclusive, ISO-8601 UTC
 * @param windowEnd window end, exclusive, ISO-8601 UTC
 * @param logins logins the lists cover: those of the window's panes (the window's {@link StateStats#logins()}, unless a
 *        login came too late for this window but in time for a later one in the same second)
 * @param devices device types with the most logins
 * @param appVersions app versions with the most logins
 * @param ips IPs with the most logins; logins without an IP are left out
 */
@RegisterForReflection
@JsonPropertyOrder({ "state", "window_start", "window_end", "logins", "devices", "app_versions", "ips" })
public record StateInsights(
        @JsonProperty("state") String state,
        @JsonProperty("window_start") String windowStart,
        @JsonProperty("window_end") String windowEnd,
        @JsonProperty("logins") long logins,
        @JsonProperty("devices") Ranking devices,
        @JsonProperty("app_versions") Ranking appVersions,
        @JsonProperty("ips") Ranking ips) {

    /** Distinct values a pane's summary counts exactly; with more, the least counted ones share a counter. */
    public static final int SUMMARY_SIZE = 64;
    /** Most entries a published list holds. */
    public static final int TOP = 10;

    /**
     * The values with the most logins, most first (ties by value).
     *
     * @param top at most {@link #TOP} entries
     * @param maxError how far any listed count may be from the exact one, in logins: 0 when exact
     */
    @RegisterForReflection
    @JsonPropertyOrder({ "top", "max_error" })
    public record Ranking(
            @JsonProperty("top") List<Entry> top,
            @JsonProperty("max_error") long maxError) {

        /** No value. */
        public static final Ranking EMPTY = new Ranking(List.of(), 0);
    }

    /**
     * One value and its logins.
     *
     * @param value a device type, app version or IP
     * @param logins its logins in the window, as counted: never below the true count, and at most the ranking's
     *        {@code max_error} above it
     * @param minLogins logins it surely had: never above the true count; equal to {@code logins} when exact
     */
    @RegisterForReflection
    @JsonPropertyOrder({ "value", "logins", "min_logins" })
    public record Entry(
            @JsonProperty("value") String value,
            @JsonProperty("logins") long logins,
            @JsonProperty("min_logins") long minLogins) {

        /** An exact count. */
        public Entry(String value, long logins) {
            this(value, logins, logins);
        }
    }
}
