package dev.loginpulse.dashboard.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.loginpulse.events.TopIps;

/**
 * The insight panels of the dashboard: all states together, in one hopping window (the current one of the map when
 * stats has published it, else the latest). Each part comes from the latest record of its kind on
 * {@code user-login-insights} for that window; a part not published yet is empty.
 *
 * @param windowStart the window's start, ISO-8601 UTC
 * @param windowEnd its end
 * @param logins all logins in the window
 * @param deviceTypes logins per device type, most first
 * @param otherDeviceLogins logins of device types not listed
 * @param appVersions device type → app version → logins
 * @param distinctDevices distinct devices, estimated (HyperLogLog)
 * @param distinctDevicesRse relative standard error of {@code distinctDevices}
 * @param distinctIps distinct IPs, exact
 * @param alertThreshold an IP with more logins than this in the window is flagged
 * @param ipsOverThreshold how many IPs are over the threshold
 * @param topIps the IPs with the most logins, most first, with their flag
 */
public record InsightsPanel(
        @JsonProperty("window_start") String windowStart,
        @JsonProperty("window_end") String windowEnd,
        @JsonProperty("logins") long logins,
        @JsonProperty("device_types") Map<String, Long> deviceTypes,
        @JsonProperty("other_device_logins") long otherDeviceLogins,
        @JsonProperty("app_versions") Map<String, Map<String, Long>> appVersions,
        @JsonProperty("distinct_devices") long distinctDevices,
        @JsonProperty("distinct_devices_rse") double distinctDevicesRse,
        @JsonProperty("distinct_ips") long distinctIps,
        @JsonProperty("alert_threshold") long alertThreshold,
        @JsonProperty("ips_over_threshold") long ipsOverThreshold,
        @JsonProperty("top_ips") List<TopIps.IpCount> topIps) {
}
