package dev.loginpulse.dashboard.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.inject.Singleton;

import dev.loginpulse.events.AppVersions;
import dev.loginpulse.events.DeviceMix;
import dev.loginpulse.events.DistinctCounts;
import dev.loginpulse.events.Insight;
import dev.loginpulse.events.SourceIntegrity;
import dev.loginpulse.events.StateInsights;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.StateWindows;
import dev.loginpulse.events.TopIps;
import dev.loginpulse.events.UsState;

/**
 * The dashboard's picture of the stats stream: for each state its exact running total (taken from the stream, never
 * summed from windows) and its figures in recent windows. Thread-safe.
 * <p>
 * The "current window" is the same for every state: of the windows that contain the latest login seen anywhere, the
 * one that started first, i.e. the full window that covers the most recent minute of data.
 */
@Singleton
public class StatsBoard {

    /** How much window history is kept for the time series. */
    public static final Duration HISTORY = Duration.ofMinutes(15);

    private final Map<String, StateEntry> states = new TreeMap<>();
    private final TreeSet<Long> windowStarts = new TreeSet<>();
    /** Latest hopping-window insight per kind and window start. */
    private final Map<String, TreeMap<Long, Insight>> insights = new TreeMap<>();
    private long windowSizeMillis;
    private long latestLoginMillis = Long.MIN_VALUE;
    private long deadLettered;
    /** Latest integrity record per {@code user-login-clean} partition. */
    private final Map<Integer, SourceIntegrity> integrity = new TreeMap<>();
    private long version;

    /** Applies one stats record; records for a (state, window) replace earlier ones, totals only grow. */
    public synchronized void apply(StateStats stats) {
        if (stats == null || stats.state() == null || stats.windowStart() == null || stats.windowEnd() == null) {
            return;
        }
        long start = Instant.parse(stats.windowStart()).toEpochMilli();
        long end = Instant.parse(stats.windowEnd()).toEpochMilli();
        windowSizeMillis = end - start;
        StateEntry entry = states.computeIfAbsent(stats.state(), StateEntry::new);
        entry.total = Math.max(entry.total, stats.totalLogins());
        entry.late = Math.max(entry.late, stats.lateLogins());
        entry.windows.put(start, new WindowFigures(stats.logins(), stats.uniqueUsers()));
        if (stats.lastLogin() != null) {
            long last = Instant.parse(stats.lastLogin()).toEpochMilli();
            entry.lastLoginMillis = Math.max(entry.lastLoginMillis, last);
            latestLoginMillis = Math.max(latestLoginMillis, last);
        }
        windowStarts.add(start);
        prune();
        version++;
    }

    /**
     * Applies one state's mix of one window; a record for a (state, window) replaces the earlier one. Only the mixes of
     * the last two window sizes are kept: {@link #history} shows the state's last full window.
     */
    public synchronized void apply(StateInsights mix) {
        if (mix == null || mix.state() == null || mix.windowStart() == null || mix.windowEnd() == null) {
            return;
        }
        long start = Instant.parse(mix.windowStart()).toEpochMilli();
        long size = Instant.parse(mix.windowEnd()).toEpochMilli() - start;
        TreeMap<Long, StateInsights> mixes = states.computeIfAbsent(mix.state(), StateEntry::new).mixes;
        mixes.put(start, mix);
        mixes.headMap(mixes.lastKey() - 2 * size).clear();
        version++;
    }

    /**
     * Applies one insight record of the hopping view (the map's windows); a record for a (kind, window) replaces the
     * earlier one. Tumbling-view records are not shown.
     */
    public synchronized void apply(Insight insight) {
        if (insight == null || !Insight.HOPPING.equals(insight.view()) || insight.windowStart() == null
                || insight.windowEnd() == null) {
            return;
        }
        long start = Instant.parse(insight.windowStart()).toEpochMilli();
        TreeMap<Long, Insight> windows = insights.computeIfAbsent(insight.kind(), kind -> new TreeMap<>());
        windows.put(start, insight);
        windows.headMap(windows.lastKey() - HISTORY.toMillis()).clear();
        version++;
    }

    /** Applies one integrity record; the latest per {@code user-login-clean} partition counts. */
    public synchronized void apply(SourceIntegrity record) {
        if (record == null || record.partition() < 0) {
            return;
        }
        integrity.put(record.partition(), record);
        version++;
    }

    /** Counts one record of the dead-letter topic. */
    public synchronized void deadLettered() {
        deadLettered++;
        version++;
    }

    /** Increases with every applied record; lets broadcasters skip unchanged states. */
    public synchronized long version() {
        return version;
    }

    /** Everything the page and {@code /api/stats} show, consistent at one instant. */
    public synchronized Snapshot snapshot() {
        Long current = currentWindowStart();
        List<StateRow> rows = new ArrayList<>(states.size());
        long grandTotal = 0;
        long windowTotal = 0;
        long lateTotal = 0;
        for (StateEntry entry : states.values()) {
            WindowFigures figures = current == null ? WindowFigures.NONE
                    : entry.windows.getOrDefault(current, WindowFigures.NONE);
            rows.add(new StateRow(entry.code, displayName(entry.code), entry.total, figures.logins(),
                    figures.uniqueUsers(), entry.lastLoginMillis == Long.MIN_VALUE ? null
                            : Instant.ofEpochMilli(entry.lastLoginMillis).toString(),
                    entry.late));
            grandTotal += entry.total;
            lateTotal += entry.late;
            windowTotal += figures.logins();
        }
        rows.sort(Comparator.comparing(StateRow::state));
        List<SeriesPoint> series = new ArrayList<>();
        for (Long start : windowStarts) {
            long logins = 0;
            for (StateEntry entry : states.values()) {
                WindowFigures figures = entry.windows.get(start);
                logins += figures == null ? 0 : figures.logins();
            }
            series.add(new SeriesPoint(Instant.ofEpochMilli(start).toString(), logins));
        }
        Map<String, Long> dropped = new TreeMap<>();
        integrity.values().forEach(record -> record.dropped().forEach((reason, count) -> dropped.merge(reason, count,
                Long::sum)));
        long droppedTotal = dropped.values().stream().mapToLong(Long::longValue).sum();
        return new Snapshot(grandTotal, windowTotal, deadLettered, lateTotal, droppedTotal, dropped,
                current == null ? null : Instant.ofEpochMilli(current).toString(),
                current == null ? null : Instant.ofEpochMilli(current + windowSizeMillis).toString(),
                rows, series, insightsPanel(current));
    }

    /**
     * One state's windows of the last {@link #HISTORY}, newest first (none if it had no logins in that time); the
     * code is one of the 50 states, DC, PR or {@code UNK}, else there is nothing to show.
     */
    public synchronized Optional<StateWindows> history(String code) {
        if (!UsState.UNKNOWN.equals(code) && UsState.fromCode(code).isEmpty()) {
            return Optional.empty();
        }
        StateEntry entry = states.get(code);
        List<StateWindows.Window> windows = new ArrayList<>();
        if (entry != null) {
            entry.windows.descendingMap().forEach((start, figures) -> windows.add(new StateWindows.Window(
                    Instant.ofEpochMilli(start).toString(), Instant.ofEpochMilli(start + windowSizeMillis).toString(),
                    figures.logins(), figures.uniqueUsers())));
        }
        String lastLogin = entry == null || entry.lastLoginMillis == Long.MIN_VALUE ? null
                : Instant.ofEpochMilli(entry.lastLoginMillis).toString();
        return Optional.of(new StateWindows(code, displayName(code), entry == null ? 0 : entry.total, lastLogin,
                windows, entry == null ? null : lastFullMix(entry)));
    }

    /** The mix of the state's last full window: of its windows containing its latest login, the earliest. */
    private StateInsights lastFullMix(StateEntry entry) {
        if (entry.lastLoginMillis == Long.MIN_VALUE) {
            return null;
        }
        Long start = entry.windows.ceilingKey(entry.lastLoginMillis - windowSizeMillis + 1);
        return start == null || start > entry.lastLoginMillis ? null : entry.mixes.get(start);
    }

    /** The insights of the map's current window if published, else of the latest window with any insight. */
    private InsightsPanel insightsPanel(Long current) {
        Long window;
        if (current != null && insights.values().stream().anyMatch(windows -> windows.containsKey(current))) {
            window = current;
        } else {
            window = insights.values().stream().filter(windows -> !windows.isEmpty()).map(TreeMap::lastKey)
                    .max(Long::compare).orElse(null);
        }
        if (window == null) {
            return null;
        }
        DeviceMix mix = insight(DeviceMix.KIND, window, DeviceMix.class);
        AppVersions versions = insight(AppVersions.KIND, window, AppVersions.class);
        DistinctCounts distinct = insight(DistinctCounts.KIND, window, DistinctCounts.class);
        TopIps top = insight(TopIps.KIND, window, TopIps.class);
        Insight any = mix != null ? mix : versions != null ? versions : distinct != null ? distinct : top;
        if (any == null) {
            return null; // only kinds the page does not show, e.g. locales
        }
        return new InsightsPanel(any.windowStart(), any.windowEnd(),
                mix != null ? mix.logins() : distinct != null ? distinct.logins() : 0,
                mix == null ? Map.of() : mix.deviceTypes(), mix == null ? 0 : mix.otherLogins(),
                versions == null ? Map.of() : versions.versions(),
                distinct == null ? 0 : distinct.distinctDevices(), distinct == null ? 0 : distinct.distinctDevicesRse(),
                distinct == null ? 0 : distinct.distinctIps(),
                top == null ? 0 : top.alertThreshold(), top == null ? 0 : top.ipsOverThreshold(),
                top == null ? List.of() : top.ips());
    }

    private <T extends Insight> T insight(String kind, long window, Class<T> type) {
        TreeMap<Long, Insight> windows = insights.get(kind);
        Insight insight = windows == null ? null : windows.get(window);
        return type.isInstance(insight) ? type.cast(insight) : null;
    }

    private Long currentWindowStart() {
        if (windowStarts.isEmpty() || latestLoginMillis == Long.MIN_VALUE) {
            return windowStarts.isEmpty() ? null : windowStarts.last();
        }
        Long candidate = windowStarts.ceiling(latestLoginMillis - windowSizeMillis + 1);
        return candidate != null && candidate <= latestLoginMillis ? candidate : windowStarts.last();
    }

    private void prune() {
        long oldest = windowStarts.last() - HISTORY.toMillis();
        while (!windowStarts.isEmpty() && windowStarts.first() < oldest) {
            windowStarts.pollFirst();
        }
        for (StateEntry entry : states.values()) {
            entry.windows.headMap(oldest).clear();
        }
    }

    private static String displayName(String code) {
        return UsState.fromCode(code).map(UsState::displayName)
                .orElse(UsState.UNKNOWN.equals(code) ? "Unknown locale" : code);
    }

    private static final class StateEntry {
        private final String code;
        private final TreeMap<Long, WindowFigures> windows = new TreeMap<>();
        private final TreeMap<Long, StateInsights> mixes = new TreeMap<>();
        private long total;
        private long late;
        private long lastLoginMillis = Long.MIN_VALUE;

        private StateEntry(String code) {
            this.code = code;
        }
    }

    private record WindowFigures(long logins, long uniqueUsers) {
        static final WindowFigures NONE = new WindowFigures(0, 0);
    }
}
