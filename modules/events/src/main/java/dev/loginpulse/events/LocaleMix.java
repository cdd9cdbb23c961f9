package dev.loginpulse.events;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Logins per locale (state code or {@link UsState#UNKNOWN}) in one window ({@code "kind": "locales"}), exact. The
 * cleaner maps every locale to one of 53 codes, so this map is small.
 *
 * @param view {@link Insight#HOPPING} or {@link Insight#TUMBLING}
 * @param windowStart window start, inclusive, ISO-8601 UTC
 * @param windowEnd window end, exclusive, ISO-8601 UTC
 * @param logins all logins in the window
 * @param locales logins per locale, most first
 */
@RegisterForReflection
@JsonPropertyOrder({ "view", "window_start", "window_end", "logins", "locales" })
public record LocaleMix(
        @JsonProperty("view") String view,
        @JsonProperty("window_start") String windowStart,
        @JsonProperty("window_end") String windowEnd,
        @JsonProperty("logins") long logins,
        @JsonProperty("locales") Map<String, Long> locales) implements Insight {

    public static final String KIND = "locales";

    @Override
    @JsonIgnore
    public String kind() {
        return KIND;
    }
}
