package dev.loginpulse.stats.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

import dev.loginpulse.events.StateInsights;

/**
 * Reads this instance's state stores for the REST API (interactive queries). Each reads the whole (small) store of one
 * partition rather than a time range: a range query on a caching window store walks every cache segment of the range,
 * which for "all time" takes seconds. Each method reads one partition, which
 * the caller found with {@code KafkaStreams.queryMetadataForKey}; a store that is not queryable here (not owned,
 * rebalancing, restoring) throws {@link org.apache.kafka.streams.errors.InvalidStateStoreException}.
 */
public final class StoreQueries {

    private StoreQueries() {
    }

    /**
     * One state's running total, latest event time, its windows still in the store (newest first) and its last full
     * window's mix, as of the last commit.
     */
    public static StateSnapshot state(KafkaStreams streams, WindowSpec spec, int partition, String state) {
        PaneStore store = streams.store(StoreQueryParameters
                .fromNameAndType(StatsTopology.PANES_STORE, PaneStore.queryableType()).withPartition(partition));
        StatePanes panes = new StatePanes(state);
        byte[] total = store.get(panes.totalKey());
        if (total != null) {
            panes.restoreTotal(total);
        }
        List<StateWindow> result = new ArrayList<>();
        String prefix = StatePanes.prefix(StatePanes.WINDOW, state);
        store.forEachWithPrefix(prefix, (key, value) -> {
            StatePanes.Pane pane = new StatePanes.Pane(0);
            pane.restoreWindow(value);
            result.add(new StateWindow(Long.parseLong(key.substring(prefix.length())), pane.windowLogins,
                    pane.windowUsers));
        });
        result.sort(Comparator.comparingLong(StateWindow::start).reversed());
        StateInsights insights = null;
        if (total != null) {
            long size = spec.sizeMs();
            long advance = spec.advanceMs();
            Long lastFull = null;
            for (StateWindow window : result) {
                if (window.start() <= panes.lastEventMillis && panes.lastEventMillis < window.start() + size) {
                    lastFull = window.start(); // newest first: the last one kept is the earliest
                }
            }
            if (lastFull != null) {
                String mixes = StatePanes.prefix(StatePanes.MIX, state);
                store.forEachWithPrefix(mixes, (key, value) -> panes
                        .pane(Math.floorDiv(Long.parseLong(key.substring(mixes.length())), advance)).restoreMix(value));
                insights = panes.insights(lastFull / advance, (int) (size / advance),
                        Instant.ofEpochMilli(lastFull).toString(), Instant.ofEpochMilli(lastFull + size).toString());
            }
        }
        return new StateSnapshot(state, panes.total, total == null ? null : panes.lastEventMillis, result, insights);
    }

    /** The merged insights of one view, newest window first. */
    public static List<InsightPartial> insights(KafkaStreams streams, int partition, String view) {
        ReadOnlyWindowStore<String, InsightPartial> store = streams.store(StoreQueryParameters
                .fromNameAndType(StatsTopology.INSIGHTS_STORE,
                        QueryableStoreTypes.<String, InsightPartial> windowStore())
                .withPartition(partition));
        List<InsightPartial> result = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, InsightPartial> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Windowed<String>, InsightPartial> window = all.next();
                if (window.key.key().equals(view)) {
                    result.add(window.value);
                }
            }
        }
        result.sort(Comparator.comparingLong(InsightPartial::windowStart).reversed());
        return result;
    }

    /**
     * One state as the stores hold it.
     *
     * @param state the code
     * @param totalLogins all logins since the start
     * @param lastLoginMillis latest event time, or null if none
     * @param windows its windows still in the store, newest first
     */
    public record StateSnapshot(String state, long totalLogins, Long lastLoginMillis, List<StateWindow> windows,
            StateInsights insights) {
    }

    /**
     * One window of one state.
     *
     * @param start window start, epoch milliseconds
     * @param logins logins
     * @param uniqueUsers distinct users, exact
     */
    public record StateWindow(long start, long logins, long uniqueUsers) {
    }
}
