package dev.loginpulse.archiver.lake;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a table holds of one topic, in Kafka terms: per partition the next offset to read, and (for
 * {@code user-login-clean}) per (clean partition, raw partition) the highest raw offset archived, named by the
 * {@code pulse-source-offset} header. Written into every snapshot summary of the table and read back on start, so the
 * table itself says where to resume (docs/lake.md). Not thread-safe.
 */
public final class Positions {

    /** Summary key prefix of the next offsets: {@code pulse.offsets.<topic>.<partition>}. */
    public static final String OFFSETS = "pulse.offsets.";
    /** Summary key prefix of the highest raw offsets: {@code pulse.sources.<topic>.<partition>.<raw partition>}. */
    public static final String SOURCES = "pulse.sources.";

    /** What {@link #accept} decided. */
    public enum Verdict {
        /** New: archive it. */
        NEW,
        /** Its Kafka offset is already archived or buffered (read again after a seek or a rebalance). */
        OFFSET_SEEN,
        /** A re-delivery by the cleaner: its raw source offset is at or below the highest archived. */
        REDELIVERY
    }

    private final String topic;
    private final Map<Integer, Long> next = new HashMap<>();
    private final Map<Long, Long> sources = new HashMap<>();

    public Positions(String topic) {
        this.topic = topic;
    }

    /** The topic these positions are in. */
    public String topic() {
        return topic;
    }

    /** The next offset to read from a partition, or null when nothing of it was seen. */
    public Long next(int partition) {
        return next.get(partition);
    }

    /** The next offset of every partition seen, as an immutable copy. */
    public Map<Integer, Long> nextOffsets() {
        return Map.copyOf(next);
    }

    /**
     * Decides about one record and, unless already seen, advances the positions past it.
     *
     * @param source the raw {@code <partition>:<offset>} the record came from, or null when it names none (or not in
     *        that form): such a record is archived whenever its Kafka offset is new
     */
    public Verdict accept(int partition, long offset, String source) {
        Long expected = next.get(partition);
        if (expected != null && offset < expected) {
            return Verdict.OFFSET_SEEN;
        }
        next.put(partition, offset + 1);
        long[] raw = parseSource(source);
        if (raw == null) {
            return Verdict.NEW;
        }
        long key = sourceKey(partition, (int) raw[0]);
        Long highest = sources.get(key);
        if (highest != null && raw[1] <= highest) {
            return Verdict.REDELIVERY;
        }
        sources.put(key, raw[1]);
        return Verdict.NEW;
    }

    /** {@code <partition>:<offset>} with non-negative decimal numbers, or null. */
    static long[] parseSource(String source) {
        if (source == null) {
            return null;
        }
        int colon = source.indexOf(':');
        if (colon <= 0 || colon == source.length() - 1) {
            return null;
        }
        try {
            int partition = Integer.parseInt(source, 0, colon, 10);
            long offset = Long.parseLong(source, colon + 1, source.length(), 10);
            return partition < 0 || offset < 0 ? null : new long[] { partition, offset };
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long sourceKey(int partition, int rawPartition) {
        return ((long) partition << 32) | (rawPartition & 0xffffffffL);
    }

    /** A copy, to roll back to. */
    public Positions copy() {
        Positions copy = new Positions(topic);
        copy.next.putAll(next);
        copy.sources.putAll(sources);
        return copy;
    }

    /** The snapshot summary entries that describe these positions, in a stable order. */
    public Map<String, String> toSummary() {
        Map<String, String> summary = new TreeMap<>();
        next.forEach((partition, offset) -> summary.put(OFFSETS + topic + "." + partition, Long.toString(offset)));
        sources.forEach((key, offset) -> summary.put(
                SOURCES + topic + "." + (int) (key >>> 32) + "." + (int) (key & 0xffffffffL), Long.toString(offset)));
        return summary;
    }

    /** The positions a snapshot summary records for a topic; empty when it records none. */
    public static Positions fromSummary(String topic, Map<String, String> summary) {
        Positions positions = new Positions(topic);
        String offsets = OFFSETS + topic + ".";
        String sources = SOURCES + topic + ".";
        summary.forEach((key, value) -> {
            if (key.startsWith(offsets)) {
                positions.next.put(Integer.parseInt(key.substring(offsets.length())), Long.parseLong(value));
            } else if (key.startsWith(sources)) {
                String[] parts = key.substring(sources.length()).split("\\.");
                positions.sources.put(sourceKey(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])),
                        Long.parseLong(value));
            }
        });
        return positions;
    }

    /** Whether a snapshot summary records positions of a topic. */
    public static boolean recordedIn(String topic, Map<String, String> summary) {
        String offsets = OFFSETS + topic + ".";
        return summary.keySet().stream().anyMatch(key -> key.startsWith(offsets));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Positions that && topic.equals(that.topic) && next.equals(that.next)
                && sources.equals(that.sources);
    }

    @Override
    public int hashCode() {
        return next.hashCode() * 31 + sources.hashCode();
    }

    @Override
    public String toString() {
        return toSummary().toString();
    }
}
