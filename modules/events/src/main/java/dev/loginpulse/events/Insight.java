package dev.loginpulse.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One analytics record on {@link Topics#USER_LOGIN_INSIGHTS}, keyed by its {@link #kind()}: the figures of all states
 * together in one window. The JSON carries a {@code "kind"} field that names the record type; a window is re-published
 * whenever its figures change, so the latest record for a (kind, view, window) wins.
 * <p>
 * Views: {@link #HOPPING} windows are the per-state windows of {@link StateStats} (60 s every 10 s by default);
 * {@link #TUMBLING} windows do not overlap (30 s by default), so consecutive ones can be compared or added up.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DeviceMix.class, name = DeviceMix.KIND),
        @JsonSubTypes.Type(value = AppVersions.class, name = AppVersions.KIND),
        @JsonSubTypes.Type(value = LocaleMix.class, name = LocaleMix.KIND),
        @JsonSubTypes.Type(value = DistinctCounts.class, name = DistinctCounts.KIND),
        @JsonSubTypes.Type(value = TopIps.class, name = TopIps.KIND) })
public sealed interface Insight permits DeviceMix, AppVersions, LocaleMix, DistinctCounts, TopIps {

    /** The view of the hopping windows, the same windows as {@link StateStats}. */
    String HOPPING = "hopping";
    /** The view of the non-overlapping (tumbling) windows. */
    String TUMBLING = "tumbling";
    /**
     * Most entries a map or list of a record holds (device types, app versions); logins of the smaller entries are in
     * its {@code other_logins}. Keeps a record small whatever the input.
     */
    int MAX_ENTRIES = 50;

    /** The record type, also the {@code "kind"} field of the JSON and the record key. */
    @JsonIgnore
    String kind();

    /** {@link #HOPPING} or {@link #TUMBLING}. */
    String view();

    /** Window start, inclusive, ISO-8601 UTC. */
    String windowStart();

    /** Window end, exclusive, ISO-8601 UTC. */
    String windowEnd();
}
