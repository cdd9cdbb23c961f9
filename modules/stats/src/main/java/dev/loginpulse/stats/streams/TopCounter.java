package dev.loginpulse.stats.streams;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import dev.loginpulse.events.StateInsights;

/**
 * Counts of the most frequent values in bounded memory: the Space-Saving summary (Metwally, Agrawal and El Abbadi,
 * 2005). Up to {@code capacity} distinct values it counts exactly. Beyond, a value not yet counted takes over the
 * counter of the least counted one, starting from that count: a count is then never below the value's true count and
 * never more than {@link #minCount()} above it, and a value counted more often than that is always present. Used per
 * state and pane for device types, app versions and IPs ({@link StatePanes.Pane}). Not thread-safe.
 */
final class TopCounter {

    private final int capacity;
    private final Map<String, Counter> counts = new HashMap<>();
    /** A counter was taken over: counts may now be above the true ones. */
    private boolean overflowed;
    /**
     * The counters as a binary min-heap by count, built when the summary first overflows (summaries of a few values,
     * such as device types, never need it): the least counted is then found at the root instead of by a scan of all
     * counters for every value not yet counted (that scan was 6 % of stats' stream thread in JFR, with random IPs).
     */
    private Counter[] heap;

    TopCounter(int capacity) {
        this.capacity = capacity;
    }

    /** A value's count, and how much of it may belong to values counted there before (0 when exact). */
    private static final class Counter {
        String value;
        long count;
        long error;
        /** Its place in {@link #heap}, once that is built. */
        int slot;

        Counter(String value, long count, long error) {
            this.value = value;
            this.count = count;
            this.error = error;
        }
    }

    void add(String value) {
        Counter counter = counts.get(value);
        if (counter != null) {
            counter.count++;
            if (heap != null) {
                siftDown(counter.slot);
            }
            return;
        }
        if (counts.size() < capacity) {
            counts.put(value, new Counter(value, 1, 0));
            return;
        }
        if (heap == null) {
            buildHeap();
        }
        Counter least = heap[0];
        counts.remove(least.value);
        least.value = value;
        least.error = least.count;
        least.count++;
        overflowed = true;
        counts.put(value, least);
        siftDown(0);
    }

    private void buildHeap() {
        heap = counts.values().toArray(new Counter[0]);
        for (int i = 0; i < heap.length; i++) {
            heap[i].slot = i;
        }
        for (int i = heap.length / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    /** Moves the counter at {@code slot}, whose count grew, below any child counted less. */
    private void siftDown(int slot) {
        Counter moving = heap[slot];
        int half = heap.length >>> 1;
        while (slot < half) {
            int child = 2 * slot + 1;
            if (child + 1 < heap.length && heap[child + 1].count < heap[child].count) {
                child++;
            }
            if (moving.count <= heap[child].count) {
                break;
            }
            heap[slot] = heap[child];
            heap[slot].slot = slot;
            slot = child;
        }
        heap[slot] = moving;
        moving.slot = slot;
    }

    /** How much any count may exceed its value's true count: 0 while no counter was taken over. */
    long minCount() {
        if (!overflowed) {
            return 0;
        }
        if (heap != null) {
            return heap[0].count;
        }
        long min = Long.MAX_VALUE;
        for (Counter counter : counts.values()) {
            min = Math.min(min, counter.count);
        }
        return min;
    }

    /** The sum of the counts: every value added, once each. */
    long total() {
        long total = 0;
        for (Counter counter : counts.values()) {
            total += counter.count;
        }
        return total;
    }

    boolean isEmpty() {
        return counts.isEmpty();
    }

    /**
     * The merge of per-pane summaries: a value's count is the sum of its counts, and it may be off by at most the sum
     * of the panes' {@link #minCount()}s (above, where it was counted; below, where it was not); its sure count, the
     * sum of its counts less their errors, is never above its true count. The {@code top} largest, most first, ties by
     * value.
     */
    static StateInsights.Ranking rank(List<TopCounter> panes, int top) {
        Map<String, long[]> sums = new HashMap<>();
        long maxError = 0;
        for (TopCounter pane : panes) {
            for (Counter counter : pane.counts.values()) {
                long[] sum = sums.computeIfAbsent(counter.value, v -> new long[2]);
                sum[0] += counter.count;
                sum[1] += counter.count - counter.error;
            }
            maxError += pane.minCount();
        }
        if (sums.isEmpty()) {
            return StateInsights.Ranking.EMPTY;
        }
        // Only the top few of up to a few hundred values are wanted, once per state and emission: kept in a bounded
        // heap whose head is the weakest kept, instead of sorting them all (the full sort and an entry per value were
        // most of this method's cost, a tenth of stats' stream thread in JFR).
        PriorityQueue<Map.Entry<String, long[]>> kept = new PriorityQueue<>(top + 1, WEAKEST_FIRST);
        for (Map.Entry<String, long[]> sum : sums.entrySet()) {
            if (kept.size() < top) {
                kept.add(sum);
            } else if (top > 0 && WEAKEST_FIRST.compare(sum, kept.peek()) > 0) {
                kept.poll();
                kept.add(sum);
            }
        }
        StateInsights.Entry[] entries = new StateInsights.Entry[kept.size()];
        for (int i = entries.length - 1; i >= 0; i--) {
            Map.Entry<String, long[]> sum = kept.poll();
            entries[i] = new StateInsights.Entry(sum.getKey(), sum.getValue()[0], sum.getValue()[1]);
        }
        return new StateInsights.Ranking(List.of(entries), maxError);
    }

    /** Fewer logins first, then the later value: the reverse of the ranking's order (most first, ties by value). */
    private static final Comparator<Map.Entry<String, long[]>> WEAKEST_FIRST = (a, b) -> {
        int byLogins = Long.compare(a.getValue()[0], b.getValue()[0]);
        return byLogins != 0 ? byLogins : b.getKey().compareTo(a.getKey());
    };

    void writeTo(DataOutputStream out) throws IOException {
        out.writeBoolean(overflowed);
        out.writeInt(counts.size());
        for (Counter counter : counts.values()) {
            out.writeUTF(counter.value);
            out.writeLong(counter.count);
            out.writeLong(counter.error);
        }
    }

    static TopCounter readFrom(DataInputStream in, int capacity) throws IOException {
        TopCounter counter = new TopCounter(capacity);
        counter.overflowed = in.readBoolean();
        int size = in.readInt();
        for (int i = 0; i < size; i++) {
            String value = in.readUTF();
            counter.counts.put(value, new Counter(value, in.readLong(), in.readLong()));
        }
        return counter;
    }

    /** Several summaries as one store value. */
    static byte[] toBytes(TopCounter... counters) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (TopCounter counter : counters) {
                counter.writeTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
