package dev.loginpulse.stats.streams;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.loginpulse.events.AppVersions;
import dev.loginpulse.events.DeviceMix;
import dev.loginpulse.events.DistinctCounts;
import dev.loginpulse.events.Insight;
import dev.loginpulse.events.LocaleMix;
import dev.loginpulse.events.TopIps;

/** Builds the public {@link Insight} records of a window from its merged {@link InsightPartial}. */
public final class InsightRecords {

    private InsightRecords() {
    }

    /** The five records of a window, in publication order; the top list holds at most {@code topLimit} IPs. */
    public static List<Insight> of(InsightPartial merged, int topLimit, long alertThreshold) {
        return List.of(deviceMix(merged), appVersions(merged), locales(merged), distinct(merged),
                topIps(merged, topLimit, alertThreshold));
    }

    public static DeviceMix deviceMix(InsightPartial merged) {
        Map<String, Long> shown = InsightPartial.largest(merged.deviceTypes(), Insight.MAX_ENTRIES);
        return new DeviceMix(merged.view(), iso(merged.windowStart()), iso(merged.windowEnd()), merged.logins(), shown,
                merged.logins() - sum(shown));
    }

    public static AppVersions appVersions(InsightPartial merged) {
        Map<String, Long> shown = InsightPartial.largest(merged.appVersions(), Insight.MAX_ENTRIES);
        Map<String, Map<String, Long>> byDevice = new LinkedHashMap<>();
        shown.forEach((key, count) -> {
            String[] pair = InsightPartial.splitPair(key);
            byDevice.computeIfAbsent(pair[0], device -> new LinkedHashMap<>()).put(pair[1], count);
        });
        return new AppVersions(merged.view(), iso(merged.windowStart()), iso(merged.windowEnd()), merged.logins(),
                byDevice, merged.logins() - sum(shown));
    }

    public static LocaleMix locales(InsightPartial merged) {
        return new LocaleMix(merged.view(), iso(merged.windowStart()), iso(merged.windowEnd()), merged.logins(),
                InsightPartial.largest(merged.locales(), Integer.MAX_VALUE));
    }

    public static DistinctCounts distinct(InsightPartial merged) {
        long devices = merged.deviceSketch() == null ? 0 : DistinctSketch.fromBytes(merged.deviceSketch()).estimate();
        return new DistinctCounts(merged.view(), iso(merged.windowStart()), iso(merged.windowEnd()), merged.logins(),
                devices, DistinctSketch.RELATIVE_STANDARD_ERROR, merged.distinctIps());
    }

    public static TopIps topIps(InsightPartial merged, int limit, long alertThreshold) {
        List<TopIps.IpCount> ips = new ArrayList<>();
        InsightPartial.largest(merged.topIps(), limit)
                .forEach((ip, count) -> ips.add(new TopIps.IpCount(ip, count, count > alertThreshold)));
        return new TopIps(merged.view(), iso(merged.windowStart()), iso(merged.windowEnd()), alertThreshold,
                merged.ipsOverThreshold(), ips);
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    static String iso(long epochMillis) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis));
    }
}
