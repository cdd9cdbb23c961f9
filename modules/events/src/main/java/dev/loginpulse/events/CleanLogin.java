package dev.loginpulse.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A cleaned login on {@link Topics#USER_LOGIN_CLEAN}, keyed by {@link #locale()}: exactly these seven fields, all
 * strings, never null.
 *
 * @param timestamp event time, ISO-8601 UTC with seconds precision, e.g. {@code "2023-09-12T00:45:51Z"}
 * @param locale a {@link UsState} code or {@link UsState#UNKNOWN}
 * @param deviceType lower case, no whitespace, or {@code "unknown"}
 * @param userId the user, never blank
 * @param appVersion as sent, or {@code "unknown"}
 * @param ip as sent, or {@code "unknown"}
 * @param deviceId as sent, or {@code "unknown"}
 */
@RegisterForReflection
@JsonPropertyOrder({ "timestamp", "locale", "device_type", "user_id", "app_version", "ip", "device_id" })
public record CleanLogin(
        @JsonProperty("timestamp") String timestamp,
        @JsonProperty("locale") String locale,
        @JsonProperty("device_type") String deviceType,
        @JsonProperty("user_id") String userId,
        @JsonProperty("app_version") String appVersion,
        @JsonProperty("ip") String ip,
        @JsonProperty("device_id") String deviceId) {

    /** The event time as epoch milliseconds ({@link EventTimes#epochMillis}). */
    @JsonIgnore
    public long epochMillis() {
        return EventTimes.epochMillis(timestamp);
    }
}
