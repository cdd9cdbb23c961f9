package dev.loginpulse.stats.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.loginpulse.events.Insight;

/**
 * The windows and limits of the insights (device mix, app versions, locales, distinct devices and IPs, top IPs). They
 * are computed in two views: {@link Insight#HOPPING}, the per-state windows of {@link WindowSpec}, and
 * {@link Insight#TUMBLING}, non-overlapping windows of {@code tumblingSize}. Both close {@link WindowSpec#grace()} after
 * their end, by stream time.
 *
 * @param windows the hopping windows, shared with the per-state stats
 * @param tumblingSize length of the tumbling windows; a whole multiple of the hopping windows' advance
 * @param topIps how many IPs each window's top list holds
 * @param ipAlertThreshold an IP with more logins than this in one window is flagged
 */
public record InsightSpec(WindowSpec windows, Duration tumblingSize, int topIps, long ipAlertThreshold) {

    /** Views in the order they are published. */
    public static final List<String> VIEWS = List.of(Insight.HOPPING, Insight.TUMBLING);

    public InsightSpec {
        long advance = windows.advance().toMillis();
        if (tumblingSize.toMillis() < advance || tumblingSize.toMillis() % advance != 0) {
            throw new IllegalArgumentException("tumbling window size must be a whole multiple of the window advance: "
                    + tumblingSize + ", advance " + windows.advance());
        }
        if (topIps < 1 || topIps > 1000) {
            throw new IllegalArgumentException("top IPs must be between 1 and 1000: " + topIps);
        }
        if (ipAlertThreshold < 0) {
            throw new IllegalArgumentException("IP alert threshold must not be negative: " + ipAlertThreshold);
        }
    }

    /** The contract's defaults: {@link WindowSpec#defaults()}, 30 s tumbling windows, top 25 IPs, alert above 100. */
    public static InsightSpec defaults() {
        return new InsightSpec(WindowSpec.defaults(), Duration.ofSeconds(30), 25, 100);
    }

    /** Whether {@code view} is one of {@link #VIEWS}. */
    public static boolean isView(String view) {
        return VIEWS.contains(view);
    }

    /** Window length of a view. */
    public long sizeMs(String view) {
        return Insight.TUMBLING.equals(view) ? tumblingSize.toMillis() : windows.sizeMs();
    }

    /** Panes are the smallest unit of time the insights keep: one window advance. */
    long paneMs() {
        return windows.advanceMs();
    }

    /** The pane that contains an event time. */
    long paneOf(long eventTime) {
        return Math.floorDiv(eventTime, paneMs()) * paneMs();
    }

    /** Whether a window of a view still accepts logins at the given watermark ({@link SourceProgress}). */
    boolean isOpen(String view, long start, long streamTime) {
        return start + sizeMs(view) + windows.graceMs() > streamTime;
    }

    /**
     * Every window (of both views) that contains the event time, open or not. None starts before the epoch (a window
     * store cannot hold one; a login in the epoch's first minute counts in the windows from the epoch on).
     */
    List<WindowRef> windowsOf(long eventTime) {
        List<WindowRef> refs = new ArrayList<>(8);
        long advance = windows.advanceMs();
        long last = Math.floorDiv(eventTime, advance);
        long first = Math.max(0, Math.floorDiv(eventTime - windows.sizeMs(), advance) + 1);
        for (long index = first; index <= last; index++) {
            refs.add(new WindowRef(Insight.HOPPING, index * advance));
        }
        long tumbling = tumblingSize.toMillis();
        refs.add(new WindowRef(Insight.TUMBLING, Math.floorDiv(eventTime, tumbling) * tumbling));
        return refs;
    }

    /** Every window that contains the event time and is still open at the watermark. */
    List<WindowRef> openWindowsOf(long eventTime, long streamTime) {
        List<WindowRef> refs = windowsOf(eventTime);
        refs.removeIf(ref -> !isOpen(ref.view(), ref.start(), streamTime));
        return refs;
    }

    /**
     * How long the insight stores keep a pane or window: until every window containing it has closed, plus time to
     * publish it again and to answer queries for recent windows.
     */
    Duration retention() {
        Duration longest = windows.size().compareTo(tumblingSize) >= 0 ? windows.size() : tumblingSize;
        return longest.plus(windows.grace()).plus(windows.maxSourceLag()).plus(windows.advance().multipliedBy(6));
    }

    /**
     * One window of one view. A hash key several times per login, so {@code equals} and {@code hashCode} are written
     * out: a record's generated ones run through method handles, which a native executable interprets (that made the
     * native stats ten times slower than the JVM; docs/benchmarks.md).
     *
     * @param view {@link Insight#HOPPING} or {@link Insight#TUMBLING}
     * @param start window start, epoch milliseconds
     */
    record WindowRef(String view, long start) {

        @Override
        public boolean equals(Object other) {
            return other instanceof WindowRef ref && start == ref.start && view.equals(ref.view);
        }

        @Override
        public int hashCode() {
            return 31 * view.hashCode() + Long.hashCode(start);
        }
    }
}
