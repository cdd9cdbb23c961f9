package dev.loginpulse.stats.streams;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import dev.loginpulse.stats.streams.InsightSpec.WindowRef;

/**
 * Exact logins per IP and window, on the IP repartition topic: the {@link IpBatch}es of the clean partitions
 * ({@link IpBatcher}), partitioned so that every login of an IP lands on the same partition. It derives the distinct
 * IPs, IPs over the alert threshold and the top IPs of each window, for the IPs of this partition.
 * <p>
 * The store keeps one count per IP and pane (one window advance), so a batch entry (one IP's logins in one pane) is one
 * store write however many windows (of both views) contain the pane; an IP's count in a window is the sum of its panes
 * in it, read with one range fetch. The per-window top list, distinct count and over-threshold count are derived from
 * those counts and kept in memory, rebuilt from the store when the task starts, so they are exactly as durable as the
 * store. The store is not cached: its keys are as many as the IPs, and a cache in front of them costs more than it
 * saves.
 * <p>
 * A batch entry counts in the windows that were open when its logins passed {@link SourceGate} (the watermark it
 * carries). Windows are dropped from memory by the smallest of the watermarks of the upstream tasks (each batch carries
 * its task's), tracked like source partitions ({@link SourceProgress}); kept in memory, so after a restart the windows
 * in the store stay open until the upstream tasks' batches say otherwise.
 * <p>
 * Every {@link WindowSpec#emitInterval()} the changed windows go out as {@link InsightPartial}s to the merge step.
 */
class IpProcessor implements Processor<String, IpBatch, String, InsightPartial> {

    private final InsightSpec spec;
    private final CommitPacing pacing;
    /** Progress per upstream task: the watermarks its records were stamped with ({@link SourceGate}). */
    private final SourceProgress upstream;
    private final Map<WindowRef, WindowIps> windows = new HashMap<>();
    private final Set<WindowRef> dirty = new LinkedHashSet<>();
    private ProcessorContext<String, InsightPartial> context;
    private WindowStore<String, Long> panes;
    private String source;

    IpProcessor(InsightSpec spec) {
        this(spec, CommitPacing.unpaced());
    }

    IpProcessor(InsightSpec spec, CommitPacing pacing) {
        this.pacing = pacing;
        this.spec = spec;
        this.upstream = new SourceProgress(spec.windows().maxSourceLagMs());
    }

    @Override
    public void init(ProcessorContext<String, InsightPartial> context) {
        this.context = context;
        this.panes = context.getStateStore(StatsTopology.IP_PANES_STORE);
        this.source = "ip-" + context.taskId().partition();
        Map<WindowRef, Map<String, Long>> restored = new HashMap<>();
        try (KeyValueIterator<Windowed<String>, Long> all = panes.all()) {
            while (all.hasNext()) {
                KeyValue<Windowed<String>, Long> entry = all.next();
                for (WindowRef window : spec.windowsOf(entry.key.window().start())) {
                    restored.computeIfAbsent(window, w -> new HashMap<>()).merge(entry.key.key(), entry.value,
                            Long::sum);
                }
            }
        }
        restored.forEach((window, counts) -> {
            WindowIps ips = windowIps(window);
            counts.forEach(ips::restored);
            dirty.add(window);
        });
        context.schedule(spec.windows().emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> emit());
    }

    /** An {@link IpBatch} of logins per (pane, IP) from one clean partition ({@link IpBatcher}). */
    @Override
    public void process(Record<String, IpBatch> record) {
        IpBatch batch = record.value();
        if (batch == null) {
            return; // IpBatcher writes none; only a foreign producer could put a tombstone on the internal topic
        }
        if (batch.stampedBy() >= 0) {
            upstream.observe(Integer.toString(batch.stampedBy()), batch.watermark());
        }
        for (IpBatch.Entry entry : batch.entries()) {
            // open or not as the windows were when the logins passed the gate, as for the per-state figures
            count(entry.ip(), entry.paneStart(), entry.logins(), entry.watermark());
        }
    }

    /** {@code logins} more logins of the IP at this event time, counted in the windows open at this watermark. */
    private void count(String ip, long time, long logins, long watermark) {
        List<WindowRef> open = spec.openWindowsOf(time, watermark);
        if (open.isEmpty()) {
            return; // too late for every window
        }
        long pane = spec.paneOf(time);
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (WindowRef window : open) {
            from = Math.min(from, window.start());
            to = Math.max(to, window.start() + spec.sizeMs(window.view()) - spec.paneMs());
        }
        Map<Long, Long> counts = new HashMap<>();
        try (WindowStoreIterator<Long> stored = panes.fetch(ip, from, to)) {
            while (stored.hasNext()) {
                KeyValue<Long, Long> entry = stored.next();
                counts.put(entry.key, entry.value);
            }
        }
        long paneCount = counts.merge(pane, logins, Long::sum);
        panes.put(ip, paneCount, pane);
        for (WindowRef window : open) {
            long end = window.start() + spec.sizeMs(window.view());
            long count = 0;
            for (Map.Entry<Long, Long> entry : counts.entrySet()) {
                if (entry.getKey() >= window.start() && entry.getKey() < end) {
                    count += entry.getValue();
                }
            }
            windowIps(window).counted(ip, count, logins);
            dirty.add(window);
        }
    }

    private WindowIps windowIps(WindowRef window) {
        return windows.computeIfAbsent(window, w -> new WindowIps(spec.topIps(), spec.ipAlertThreshold()));
    }

    private void emit() {
        long now = context.currentSystemTimeMs();
        pacing.punctuating(now);
        if (!dirty.isEmpty()) {
            pacing.requestCommit(context); // the partials become visible right after the commit that makes them durable
        }
        for (WindowRef window : dirty) {
            WindowIps ips = windows.get(window);
            if (ips == null) {
                continue;
            }
            Map<String, Long> top = new LinkedHashMap<>();
            ips.top.top().forEach(entry -> top.put(entry.getKey(), entry.getValue()));
            InsightPartial partial = new InsightPartial(window.view(), window.start(),
                    window.start() + spec.sizeMs(window.view()), source, 0, Map.of(), Map.of(), Map.of(), null,
                    ips.distinct, ips.overThreshold, top);
            context.forward(new Record<>(StatsTopology.INSIGHTS_KEY, partial, now));
        }
        dirty.clear();
        long watermark = upstream.watermark();
        windows.keySet().removeIf(window -> !spec.isOpen(window.view(), window.start(), watermark));
    }

    /** What the counts of one window say, kept up to date with every count that grows. */
    private static final class WindowIps {
        private final TopK top;
        private final long threshold;
        private long distinct;
        private long overThreshold;

        private WindowIps(int k, long threshold) {
            this.top = new TopK(k);
            this.threshold = threshold;
        }

        /** An IP's count in the window is now {@code count}: it grew by {@code logins}. */
        private void counted(String ip, long count, long logins) {
            top.offer(ip, count);
            long before = count - logins;
            if (before == 0) {
                distinct++;
            }
            if (before <= threshold && count > threshold) {
                overThreshold++;
            }
        }

        /** An IP's final count in the window, read back from the store when the task starts. */
        private void restored(String ip, long count) {
            top.offer(ip, count);
            distinct++;
            if (count > threshold) {
                overThreshold++;
            }
        }
    }
}
