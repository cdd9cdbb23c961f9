package dev.loginpulse.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Distinct devices and distinct IPs in one window ({@code "kind": "distinct"}). A missing device id or IP (cleaned to
 * {@code "unknown"}) is not a device or an IP.
 *
 * @param view {@link Insight#HOPPING} or {@link Insight#TUMBLING}
 * @param windowStart window start, inclusive, ISO-8601 UTC
 * @param windowEnd window end, exclusive, ISO-8601 UTC
 * @param logins all logins in the window
 * @param distinctDevices distinct {@code device_id}s, an <em>estimate</em> (HyperLogLog sketch)
 * @param distinctDevicesRse the relative standard error of {@code distinctDevices} (0.01625: about two estimates in
 *        three are within 1.6 % of the truth, 99.7 % within 4.9 %)
 * @param distinctIps distinct {@code ip}s, exact
 */
@RegisterForReflection
@JsonPropertyOrder({ "view", "window_start", "window_end", "logins", "distinct_devices", "distinct_devices_rse",
        "distinct_ips" })
public record DistinctCounts(
        @JsonProperty("view") String view,
        @JsonProperty("window_start") String windowStart,
        @JsonProperty("window_end") String windowEnd,
        @JsonProperty("logins") long logins,
        @JsonProperty("distinct_devices") long distinctDevices,
        @JsonProperty("distinct_devices_rse") double distinctDevicesRse,
        @JsonProperty("distinct_ips") long distinctIps) implements Insight {

    public static final String KIND = "distinct";

    @Override
    @JsonIgnore
    public String kind() {
        return KIND;
    }
}
