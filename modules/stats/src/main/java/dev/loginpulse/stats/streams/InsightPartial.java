package dev.loginpulse.stats.streams;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.loginpulse.events.JsonSerde;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The insights of one window as far as one source knows them: a partition of {@code user-login-clean} (counts per
 * device type, app version and locale, and a distinct-device sketch) or a partition of the IP repartition topic (exact
 * distinct IPs, IPs over the alert threshold, top IPs of the IPs hashed to it). The fields a source does not compute
 * are zero or empty, so {@link #merge} of the latest partial of every source is the window's whole picture: counts
 * add up, sketches merge, and IP partitions hold disjoint IPs, so their top lists union to the exact top list.
 * <p>
 * Internal to stats (it travels on the {@code stats-login-insight-partials-repartition} topic and lives in the
 * {@link StatsTopology#INSIGHTS_STORE}); the public records are built by {@link InsightRecords}.
 *
 * @param view {@code hopping} or {@code tumbling}
 * @param windowStart window start, epoch milliseconds
 * @param windowEnd window end, epoch milliseconds
 * @param source which partition computed it, e.g. {@code clean-2} or {@code ip-0}; {@code all} once merged
 * @param logins logins in the window
 * @param deviceTypes logins per device type
 * @param appVersions logins per (device type, app version), keys made by {@link #pairKey}
 * @param locales logins per locale
 * @param deviceSketch distinct device ids, a {@link DistinctSketch}, or null
 * @param distinctIps distinct IPs, exact
 * @param ipsOverThreshold IPs with more logins than the alert threshold
 * @param topIps the IPs with the most logins and their logins
 */
@RegisterForReflection
public record InsightPartial(
        @JsonProperty("view") String view,
        @JsonProperty("window_start") long windowStart,
        @JsonProperty("window_end") long windowEnd,
        @JsonProperty("source") String source,
        @JsonProperty("logins") long logins,
        @JsonProperty("device_types") Map<String, Long> deviceTypes,
        @JsonProperty("app_versions") Map<String, Long> appVersions,
        @JsonProperty("locales") Map<String, Long> locales,
        @JsonProperty("device_sketch") byte[] deviceSketch,
        @JsonProperty("distinct_ips") long distinctIps,
        @JsonProperty("ips_over_threshold") long ipsOverThreshold,
        @JsonProperty("top_ips") Map<String, Long> topIps) {

    /** Source name of a merged partial. */
    public static final String MERGED = "all";
    /**
     * Most entries a partial's count maps keep (the largest); bounds a partial whatever the input. The published
     * records show fewer ({@code Insight.MAX_ENTRIES}) and count the rest as {@code other_logins}, so logins are never
     * lost from the totals.
     */
    static final int MAX_PARTIAL_ENTRIES = 1000;

    static final JsonSerde<InsightPartial> SERDE = new JsonSerde<>(InsightPartial.class);

    public InsightPartial {
        deviceTypes = deviceTypes == null ? Map.of() : deviceTypes;
        appVersions = appVersions == null ? Map.of() : appVersions;
        locales = locales == null ? Map.of() : locales;
        topIps = topIps == null ? Map.of() : topIps;
    }

    /** A key for a pair of strings that splits unambiguously whatever they contain: {@code <length>:<first><second>}. */
    static String pairKey(String first, String second) {
        return first.length() + ":" + first + second;
    }

    /** The two strings of a {@link #pairKey}. */
    static String[] splitPair(String key) {
        int colon = key.indexOf(':');
        int length = Integer.parseInt(key.substring(0, colon));
        return new String[] { key.substring(colon + 1, colon + 1 + length), key.substring(colon + 1 + length) };
    }

    /** The merge of the latest partials of a window's sources: the window's whole picture. */
    static InsightPartial merge(List<InsightPartial> partials, int topIps) {
        InsightPartial first = partials.get(0);
        long logins = 0;
        long distinctIps = 0;
        long overThreshold = 0;
        Map<String, Long> devices = new HashMap<>();
        Map<String, Long> versions = new HashMap<>();
        Map<String, Long> locales = new HashMap<>();
        Map<String, Long> ips = new HashMap<>();
        DistinctSketch sketch = null;
        for (InsightPartial partial : partials) {
            logins += partial.logins();
            distinctIps += partial.distinctIps();
            overThreshold += partial.ipsOverThreshold();
            partial.deviceTypes().forEach((key, count) -> devices.merge(key, count, Long::sum));
            partial.appVersions().forEach((key, count) -> versions.merge(key, count, Long::sum));
            partial.locales().forEach((key, count) -> locales.merge(key, count, Long::sum));
            partial.topIps().forEach((key, count) -> ips.merge(key, count, Long::sum));
            if (partial.deviceSketch() != null) {
                DistinctSketch other = DistinctSketch.fromBytes(partial.deviceSketch());
                sketch = sketch == null ? other : sketch.merge(other);
            }
        }
        return new InsightPartial(first.view(), first.windowStart(), first.windowEnd(), MERGED, logins,
                largest(devices, MAX_PARTIAL_ENTRIES), largest(versions, MAX_PARTIAL_ENTRIES),
                largest(locales, MAX_PARTIAL_ENTRIES), sketch == null ? null : sketch.toBytes(), distinctIps,
                overThreshold, largest(ips, topIps));
    }

    /** The {@code limit} largest entries, largest first, ties by key; a new map in that order. */
    static Map<String, Long> largest(Map<String, Long> counts, int limit) {
        Map<String, Long> result = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long> comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .forEach(entry -> result.put(entry.getKey(), entry.getValue()));
        return result;
    }
}
