package dev.loginpulse.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A well-formed raw login event on {@link Topics#USER_LOGIN}, as the generator writes it. Other producers may write
 * anything; the cleaner ({@link LoginCleaner}) never assumes this shape.
 *
 * @param userId the user, required
 * @param appVersion the app version, e.g. {@code "2.3.0"}
 * @param deviceType the device type, e.g. {@code "android"}
 * @param ip the client IP address
 * @param locale a US state code, or {@code null}
 * @param deviceId the device
 * @param timestamp unix seconds
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({ "user_id", "app_version", "device_type", "ip", "locale", "device_id", "timestamp" })
public record RawLogin(
        @JsonProperty("user_id") String userId,
        @JsonProperty("app_version") String appVersion,
        @JsonProperty("device_type") String deviceType,
        @JsonProperty("ip") String ip,
        @JsonProperty("locale") String locale,
        @JsonProperty("device_id") String deviceId,
        @JsonProperty("timestamp") long timestamp) {
}
