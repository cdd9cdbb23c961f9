package dev.loginpulse.events;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Logins per app version, by device type, in one window ({@code "kind": "app-versions"}), exact.
 *
 * @param view {@link Insight#HOPPING} or {@link Insight#TUMBLING}
 * @param windowStart window start, inclusive, ISO-8601 UTC
 * @param windowEnd window end, exclusive, ISO-8601 UTC
 * @param logins all logins in the window
 * @param versions device type → app version → logins; the {@link Insight#MAX_ENTRIES} largest (device type, app
 *        version) pairs, most first
 * @param otherLogins logins of the pairs left out of {@code versions}
 */
@RegisterForReflection
@JsonPropertyOrder({ "view", "window_start", "window_end", "logins", "versions", "other_logins" })
public record AppVersions(
        @JsonProperty("view") String view,
        @JsonProperty("window_start") String windowStart,
        @JsonProperty("window_end") String windowEnd,
        @JsonProperty("logins") long logins,
        @JsonProperty("versions") Map<String, Map<String, Long>> versions,
        @JsonProperty("other_logins") long otherLogins) implements Insight {

    public static final String KIND = "app-versions";

    @Override
    @JsonIgnore
    public String kind() {
        return KIND;
    }
}
