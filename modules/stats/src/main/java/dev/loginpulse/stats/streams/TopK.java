package dev.loginpulse.stats.streams;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code k} keys with the highest counts, exact, for counts that only grow: offer every key whose count changed
 * with its new count. Order: count descending, then key ascending.
 * <p>
 * Why it is exact: every key outside the top set ranks below the set's lowest member. A member that grows stays in; an
 * outsider that grows by one can at most overtake the lowest member, which it then replaces, and the replaced key ranks
 * above every other outsider. The same {@link #offer} builds the set from a scan of final counts.
 */
final class TopK {

    /** Lowest rank first: smaller count, then larger key. */
    private static final Comparator<Map.Entry<String, Long>> RANK = Map.Entry.<String, Long> comparingByValue()
            .thenComparing(Map.Entry.<String, Long> comparingByKey().reversed());

    private final int k;
    private final Map<String, Long> members = new HashMap<>();
    private final TreeSet<Map.Entry<String, Long>> ranked = new TreeSet<>(RANK);

    TopK(int k) {
        this.k = k;
    }

    /** Offers a key with its current count. */
    void offer(String key, long count) {
        Long previous = members.get(key);
        if (previous != null) {
            ranked.remove(Map.entry(key, previous));
            ranked.add(Map.entry(key, count));
            members.put(key, count);
            return;
        }
        Map.Entry<String, Long> entry = Map.entry(key, count);
        if (members.size() < k) {
            ranked.add(entry);
            members.put(key, count);
            return;
        }
        Map.Entry<String, Long> lowest = ranked.first();
        if (RANK.compare(entry, lowest) > 0) {
            ranked.pollFirst();
            members.remove(lowest.getKey());
            ranked.add(entry);
            members.put(key, count);
        }
    }

    /** The members, highest rank first. */
    List<Map.Entry<String, Long>> top() {
        return new ArrayList<>(ranked.descendingSet());
    }
}
