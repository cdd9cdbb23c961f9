package dev.loginpulse.archiver.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts logins and exact distinct users per (state, period) from the rows of the {@code logins} table, one day of
 * rows at a time: {@link #drain()} hands out what is counted so far and forgets it, so memory holds one day's distinct
 * users, not the whole range's.
 */
final class HistoryTally {

    private final HistoryRange.Granularity granularity;
    private final Map<Key, Counts> counts = new HashMap<>();

    HistoryTally(HistoryRange.Granularity granularity) {
        this.granularity = granularity;
    }

    /** One login of the state at the time by the user. */
    void add(String state, Instant time, String userId) {
        counts.computeIfAbsent(new Key(state, granularity.periodStart(time)), key -> new Counts()).add(userId);
    }

    /** The items counted since the last drain, by period then state, and forgets them. */
    List<HistoryItem> drain() {
        List<HistoryItem> items = new ArrayList<>(counts.size());
        counts.forEach((key, value) -> items.add(new HistoryItem(key.state(), key.periodStart().toString(),
                value.logins, value.users.size())));
        counts.clear();
        items.sort(ORDER);
        return items;
    }

    /** Items by period, then state. */
    static final Comparator<HistoryItem> ORDER = Comparator.comparing(HistoryItem::periodStart)
            .thenComparing(HistoryItem::state);

    private record Key(String state, Instant periodStart) {
    }

    private static final class Counts {
        private long logins;
        private final Set<String> users = new HashSet<>();

        void add(String userId) {
            logins++;
            users.add(userId);
        }
    }
}
