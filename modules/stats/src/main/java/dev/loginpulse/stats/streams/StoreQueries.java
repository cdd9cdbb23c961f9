package dev.loginpulse.stats.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads this instance's state stores for the REST API (interactive queries). Each method reads one partition, which
 * the caller found with {@code KafkaStreams.queryMetadataForKey}; a store that is not queryable here (not owned,
 * rebalancing, restoring) throws {@link org.apache.kafka.streams.errors.InvalidStateStoreException}.
 */
public final class StoreQueries {

    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE / 2);

    private StoreQueries() {
    }

    /** One state's running total, latest event time, and its windows still in the store, newest first. */
    public static StateSnapshot state(KafkaStreams streams, int partition, String state) {
        ReadOnlyKeyValueStore<String, Counts.StateTotal> totals = streams.store(StoreQueryParameters
                .fromNameAndType(StatsTopology.TOTALS_STORE, QueryableStoreTypes.<String, Counts.StateTotal> keyValueStore())
                .withPartition(partition));
        ReadOnlyWindowStore<String, Counts.WindowCount> windows = streams.store(StoreQueryParameters
                .fromNameAndType(StatsTopology.WINDOWS_STORE,
                        QueryableStoreTypes.<String, Counts.WindowCount> windowStore())
                .withPartition(partition));
        Counts.StateTotal total = totals.get(state);
        List<StateWindow> result = new ArrayList<>();
        try (WindowStoreIterator<Counts.WindowCount> all = windows.backwardFetch(state, EARLIEST, LATEST)) {
            while (all.hasNext()) {
                KeyValue<Long, Counts.WindowCount> window = all.next();
                result.add(new StateWindow(window.key, window.value.logins(), window.value.uniqueUsers()));
            }
        }
        return new StateSnapshot(state, total == null ? 0 : total.total(),
                total == null ? null : total.lastEventMillis(), result);
    }

    /** The merged insights of one view, newest window first. */
    public static List<InsightPartial> insights(KafkaStreams streams, int partition, String view) {
        ReadOnlyWindowStore<String, InsightPartial> store = streams.store(StoreQueryParameters
                .fromNameAndType(StatsTopology.INSIGHTS_STORE,
                        QueryableStoreTypes.<String, InsightPartial> windowStore())
                .withPartition(partition));
        List<InsightPartial> result = new ArrayList<>();
        try (WindowStoreIterator<InsightPartial> all = store.backwardFetch(view, EARLIEST, LATEST)) {
            while (all.hasNext()) {
                result.add(all.next().value);
            }
        }
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
    public record StateSnapshot(String state, long totalLogins, Long lastLoginMillis, List<StateWindow> windows) {
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
