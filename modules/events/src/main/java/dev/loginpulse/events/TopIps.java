package dev.loginpulse.events;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The IPs with the most logins in one window ({@code "kind": "top-ips"}), exact, and the ones over the alert threshold
 * (possible abuse). Logins without an IP (cleaned to {@code "unknown"}) are not counted here.
 *
 * @param view {@link Insight#HOPPING} or {@link Insight#TUMBLING}
 * @param windowStart window start, inclusive, ISO-8601 UTC
 * @param windowEnd window end, exclusive, ISO-8601 UTC
 * @param alertThreshold an IP with more logins than this in the window is {@linkplain IpCount#flagged() flagged}
 * @param ipsOverThreshold how many IPs in the window have more logins than {@code alertThreshold}, exact (also those
 *        that did not fit into {@code ips})
 * @param ips the IPs with the most logins, most first (ties by IP), at most the configured number
 */
@RegisterForReflection
@JsonPropertyOrder({ "view", "window_start", "window_end", "alert_threshold", "ips_over_threshold", "ips" })
public record TopIps(
        @JsonProperty("view") String view,
        @JsonProperty("window_start") String windowStart,
        @JsonProperty("window_end") String windowEnd,
        @JsonProperty("alert_threshold") long alertThreshold,
        @JsonProperty("ips_over_threshold") long ipsOverThreshold,
        @JsonProperty("ips") List<IpCount> ips) implements Insight {

    public static final String KIND = "top-ips";

    @Override
    @JsonIgnore
    public String kind() {
        return KIND;
    }

    /**
     * One IP's logins in the window.
     *
     * @param ip the IP as sent
     * @param logins its logins in the window, exact
     * @param flagged whether {@code logins} is above the alert threshold
     */
    @RegisterForReflection
    @JsonPropertyOrder({ "ip", "logins", "flagged" })
    public record IpCount(
            @JsonProperty("ip") String ip,
            @JsonProperty("logins") long logins,
            @JsonProperty("flagged") boolean flagged) {
    }
}
