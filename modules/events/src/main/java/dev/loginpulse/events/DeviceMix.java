package dev.loginpulse.events;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Logins per device type in one window ({@code "kind": "device-mix"}), exact.
 *
 * @param view {@link Insight#HOPPING} or {@link Insight#TUMBLING}
 * @param windowStart window start, inclusive, ISO-8601 UTC
 * @param windowEnd window end, exclusive, ISO-8601 UTC
 * @param logins all logins in the window
 * @param deviceTypes logins per cleaned device type, most first; at most {@link Insight#MAX_ENTRIES} entries
 * @param otherLogins logins of the device types left out of {@code deviceTypes}
 */
@RegisterForReflection
@JsonPropertyOrder({ "view", "window_start", "window_end", "logins", "device_types", "other_logins" })
public record DeviceMix(
        @JsonProperty("view") String view,
        @JsonProperty("window_start") String windowStart,
        @JsonProperty("window_end") String windowEnd,
        @JsonProperty("logins") long logins,
        @JsonProperty("device_types") Map<String, Long> deviceTypes,
        @JsonProperty("other_logins") long otherLogins) implements Insight {

    public static final String KIND = "device-mix";

    @Override
    @JsonIgnore
    public String kind() {
        return KIND;
    }
}
