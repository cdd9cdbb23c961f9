package dev.loginpulse.archiver.lake;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.loginpulse.events.RawOffsets;

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
        REDELIVERY,
        /** A source header that is not {@code <partition>:<offset>} with non-negative numbers: not the cleaner's. */
        MALFORMED_SOURCE,
        /**
         * A source offset at or beyond the end of its raw partition, or of a raw partition that does not exist: no
         * cleaner wrote it (a forged {@code 0:9223372036854775807} would otherwise hide every later login of raw
         * partition 0 as a re-delivery).
         */
        IMPOSSIBLE_SOURCE
    }

    /** A larger jump in raw offsets than this is checked against the raw partition's end offset (as stats does). */
    static final long PLAUSIBLE_JUMP = 10_000;

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

    /** {@link #accept(int, long, String, RawOffsets)} without checking source offsets against the raw topic. */
    public Verdict accept(int partition, long offset, String source) {
        return accept(partition, offset, source, RawOffsets.UNCHECKED);
    }

    /**
     * Decides about one record and, unless already seen, advances the positions past it; the rules are those of the
     * stats' source gate, so that the lake holds the logins stats counts.
     *
     * @param source the value of the record's {@link dev.loginpulse.events.Topics#SOURCE_OFFSET} header, or null when
     *        it has none: such a record (written by something else than the cleaner) is archived whenever its Kafka
     *        offset is new
     * @param rawEnds the end offsets of the raw topic, asked only when a source offset is not plausible at once (the
     *        first of its raw partition, or more than {@link #PLAUSIBLE_JUMP} past the highest)
     */
    public Verdict accept(int partition, long offset, String source, RawOffsets rawEnds) {
        Long expected = next.get(partition);
        if (expected != null && offset < expected) {
            return Verdict.OFFSET_SEEN;
        }
        next.put(partition, offset + 1);
        if (source == null) {
            return Verdict.NEW;
        }
        long[] raw = parseSource(source);
        if (raw == null) {
            return Verdict.MALFORMED_SOURCE;
        }
        long key = sourceKey(partition, (int) raw[0]);
        Long highest = sources.get(key);
        if (highest != null && raw[1] <= highest) {
            return Verdict.REDELIVERY;
        }
        if ((highest == null || raw[1] - highest > PLAUSIBLE_JUMP) && raw[1] >= rawEnds.endOffset((int) raw[0])) {
            return Verdict.IMPOSSIBLE_SOURCE;
        }
        sources.put(key, raw[1]);
        return Verdict.NEW;
    }

    /** {@code <partition>:<offset>} with non-negative decimal numbers, or null. */
    public static long[] parseSource(String source) {
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
