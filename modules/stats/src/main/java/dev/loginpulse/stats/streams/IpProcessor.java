package dev.loginpulse.stats.streams;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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

import dev.loginpulse.events.Insight;
import dev.loginpulse.stats.streams.InsightSpec.WindowRef;

/**
 * Exact logins per IP and window, on the IP repartition topic (keyed by IP, so every login of an IP lands on the same
 * partition): distinct IPs, IPs over the alert threshold and the top IPs of each window, for the IPs hashed to this
 * partition. The counts are in a window store (expired with the windows); the per-window top list, distinct count and
 * over-threshold count are derived from them and kept in memory, rebuilt from the store when the task starts, so they
 * are exactly as durable as the store.
 * <p>
 * Every {@link WindowSpec#emitInterval()} the changed windows go out as {@link InsightPartial}s to the merge step.
 */
class IpProcessor implements Processor<String, String, String, InsightPartial> {

    private final InsightSpec spec;
    private final Map<WindowRef, WindowIps> windows = new HashMap<>();
    private final Set<WindowRef> dirty = new LinkedHashSet<>();
    private ProcessorContext<String, InsightPartial> context;
    private WindowStore<String, Long> counts;
    private String source;

    IpProcessor(InsightSpec spec) {
        this.spec = spec;
    }

    @Override
    public void init(ProcessorContext<String, InsightPartial> context) {
        this.context = context;
        this.counts = context.getStateStore(StatsTopology.IP_COUNTS_STORE);
        this.source = "ip-" + context.taskId().partition();
        try (KeyValueIterator<Windowed<String>, Long> all = counts.all()) {
            while (all.hasNext()) {
                KeyValue<Windowed<String>, Long> entry = all.next();
                String key = entry.key.key();
                WindowRef window = new WindowRef(viewOf(key), entry.key.window().start());
                windowIps(window).restored(key.substring(1), entry.value);
                dirty.add(window);
            }
        }
        context.schedule(spec.windows().emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> emit());
    }

    @Override
    public void process(Record<String, String> record) {
        String ip = record.key();
        if (ip == null) {
            return;
        }
        for (WindowRef window : spec.openWindowsOf(record.timestamp(), context.currentStreamTimeMs())) {
            String key = window.view().charAt(0) + ip;
            Long previous = counts.fetch(key, window.start());
            long count = previous == null ? 1 : previous + 1;
            counts.put(key, count, window.start());
            windowIps(window).counted(ip, count);
            dirty.add(window);
        }
    }

    private static String viewOf(String key) {
        return key.charAt(0) == Insight.TUMBLING.charAt(0) ? Insight.TUMBLING : Insight.HOPPING;
    }

    private WindowIps windowIps(WindowRef window) {
        return windows.computeIfAbsent(window, w -> new WindowIps(spec.topIps(), spec.ipAlertThreshold()));
    }

    private void emit() {
        long now = context.currentSystemTimeMs();
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
        long streamTime = context.currentStreamTimeMs();
        windows.keySet().removeIf(window -> !spec.isOpen(window.view(), window.start(), streamTime));
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

        /** An IP's count in the window is now {@code count}: it grew by one, or is read back from the store. */
        private void counted(String ip, long count) {
            top.offer(ip, count);
            if (count == 1) {
                distinct++;
            }
            if (count == threshold + 1) {
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
