package dev.loginpulse.stats.streams;

import java.util.HashMap;
import java.util.Map;

/**
 * Event-time progress over several sources (the partitions of {@code user-login}, whose records the cleaner interleaves
 * in {@code user-login-clean}): the <em>watermark</em> is the smallest of the sources' largest event times, so a window
 * stays open until every source has moved past it, however the cleaner interleaves its fetches.
 * <p>
 * Idleness: a source that trails the most advanced one by more than {@code maxLag} of event time (because it is idle,
 * or far behind) no longer holds the watermark back: the watermark is never more than {@code maxLag} behind the largest
 * event time of any source. The rule uses event time only, so the same records give the same windows whatever the wall
 * clock, a restart or a replay.
 * <p>
 * The watermark never goes back, also when a new source appears behind it (its records behind the watermark are late).
 * Not thread-safe; one per stream task.
 */
final class SourceProgress {

    private final long maxLagMs;
    private final Map<String, Long> latest = new HashMap<>();
    private long leading = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;

    /** @param maxLagMs how far behind the most advanced source a source may hold windows open */
    SourceProgress(long maxLagMs) {
        if (maxLagMs < 0) {
            throw new IllegalArgumentException("max lag must not be negative: " + maxLagMs);
        }
        this.maxLagMs = maxLagMs;
    }

    /** A source that exists but has sent nothing yet: it holds the watermark back (within the max lag) until it does. */
    void expect(String source) {
        latest.putIfAbsent(source, Long.MIN_VALUE);
    }

    /**
     * A record of {@code source} with this event time was accepted (or, after a restart, this is the source's largest
     * event time read back from the store).
     *
     * @return the source's largest event time, after this record
     */
    long observe(String source, long eventMillis) {
        Long previous = latest.get(source);
        if (previous != null && previous >= eventMillis) {
            return previous;
        }
        latest.put(source, eventMillis);
        if (eventMillis > leading) {
            leading = eventMillis;
        }
        long smallest = Long.MAX_VALUE;
        for (long time : latest.values()) {
            smallest = Math.min(smallest, time);
        }
        long candidate = Math.max(smallest, leading == Long.MIN_VALUE ? Long.MIN_VALUE : leading - maxLagMs);
        if (candidate > watermark) {
            watermark = candidate;
        }
        return eventMillis;
    }

    /** The smallest of the sources' largest event times (at least the leading one less the max lag); MIN_VALUE if none. */
    long watermark() {
        return watermark;
    }

    /** The largest event time of any source; MIN_VALUE if none. */
    long leading() {
        return leading;
    }

    /** How many sources have been seen. */
    int sources() {
        return latest.size();
    }
}
