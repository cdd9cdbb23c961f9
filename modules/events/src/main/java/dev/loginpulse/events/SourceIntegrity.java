package dev.loginpulse.events;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the stats service did not count of one {@link Topics#USER_LOGIN_CLEAN} partition, on
 * {@link Topics#USER_LOGIN_INTEGRITY} keyed by {@link #key(int)}: records dropped because they cannot come from the
 * cleaner (a {@link Topics#SOURCE_OFFSET} header that does not parse, or names an offset its raw partition never had),
 * by reason, and the cleaner's re-deliveries it skipped. Running counts since the partition's first record, kept in a
 * changelogged store and published in the same transaction as the stats, so the latest record per key is exact.
 *
 * @param partition the {@code user-login-clean} partition (the stats task) the counts are of
 * @param dropped records dropped, by reason ({@code malformed-source-offset}, {@code impossible-source-offset})
 * @param redeliveriesSkipped clean records skipped as re-deliveries of raw records already counted
 * @param updatedAt when the counts were published, ISO-8601 UTC
 */
@RegisterForReflection
@JsonPropertyOrder({ "partition", "dropped", "redeliveries_skipped", "updated_at" })
public record SourceIntegrity(
        @JsonProperty("partition") int partition,
        @JsonProperty("dropped") Map<String, Long> dropped,
        @JsonProperty("redeliveries_skipped") long redeliveriesSkipped,
        @JsonProperty("updated_at") String updatedAt) {

    public SourceIntegrity {
        dropped = dropped == null ? Map.of() : new TreeMap<>(dropped);
    }

    /** The record key for a {@code user-login-clean} partition: {@code clean-<partition>}. */
    public static String key(int partition) {
        return "clean-" + partition;
    }

    /** All records dropped, whatever the reason. */
    @JsonIgnore
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
