package dev.loginpulse.stats.streams;

import java.util.HashMap;
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
import org.apache.kafka.streams.state.WindowStoreIterator;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.stats.streams.InsightSpec.WindowRef;

/**
 * The insights one partition of {@code user-login-clean} can compute: logins per device type, per (device type, app
 * version) and per locale, exact, and a distinct-device sketch. Kept per <em>pane</em> (one window advance, 10 s), so
 * a login updates one pane however many windows contain it; a window is the merge of its panes, computed when it is
 * published. A login is kept if at least one window containing it is still open (by the watermark {@link SourceGate}
 * stamped on it); windows
 * closed before it arrived are not published again, so it counts only in the windows that were open, as in
 * {@link StatsProcessor}.
 * <p>
 * Every {@link WindowSpec#emitInterval()} the changed windows of both views go out as {@link InsightPartial}s to the
 * merge step ({@link InsightMerger}).
 */
class InsightsProcessor implements Processor<String, CleanLogin, String, InsightPartial> {

    static final String DEVICE = "d";
    static final String VERSION = "v";
    static final String LOCALE = "l";
    static final String SKETCH_KEY = "devices";

    private final InsightSpec spec;
    private final Set<WindowRef> dirty = new LinkedHashSet<>();
    private ProcessorContext<String, InsightPartial> context;
    private WindowStore<String, Long> counts;
    private WindowStore<String, byte[]> sketches;
    private String source;

    InsightsProcessor(InsightSpec spec) {
        this.spec = spec;
    }

    @Override
    public void init(ProcessorContext<String, InsightPartial> context) {
        this.context = context;
        this.counts = context.getStateStore(StatsTopology.PANE_COUNTS_STORE);
        this.sketches = context.getStateStore(StatsTopology.PANE_SKETCHES_STORE);
        this.source = "clean-" + context.taskId().partition();
        try (KeyValueIterator<Windowed<String>, Long> all = counts.all()) {
            while (all.hasNext()) {
                dirty.addAll(spec.windowsOf(all.next().key.window().start()));
            }
        }
        context.schedule(spec.windows().emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> emit());
    }

    @Override
    public void process(Record<String, CleanLogin> record) {
        CleanLogin login = record.value();
        String locale = StatsTopology.stateOf(record.key(), login);
        long pane = spec.paneOf(record.timestamp());
        var open = spec.openWindowsOf(record.timestamp(), SourceGate.watermark(record.headers()));
        if (open.isEmpty()) {
            return; // too late for every window
        }
        String device = StatsTopology.orUnknown(login.deviceType());
        increment(DEVICE + device, pane);
        increment(VERSION + InsightPartial.pairKey(device, StatsTopology.orUnknown(login.appVersion())), pane);
        increment(LOCALE + locale, pane);
        String deviceId = login.deviceId();
        if (deviceId != null && !StatsTopology.UNKNOWN.equals(deviceId)) {
            byte[] stored = sketches.fetch(SKETCH_KEY, pane);
            DistinctSketch sketch = stored == null ? DistinctSketch.create() : DistinctSketch.fromBytes(stored);
            if (sketch.add(deviceId) || stored == null) {
                sketches.put(SKETCH_KEY, sketch.toBytes(), pane);
            }
        }
        dirty.addAll(open);
    }

    private void increment(String key, long pane) {
        Long count = counts.fetch(key, pane);
        counts.put(key, count == null ? 1L : count + 1, pane);
    }

    private void emit() {
        long now = context.currentSystemTimeMs();
        if (!dirty.isEmpty()) {
            context.commit(); // the partials become visible right after the commit that makes them durable
        }
        for (WindowRef window : dirty) {
            InsightPartial partial = partial(window);
            if (partial != null) {
                context.forward(new Record<>(StatsTopology.INSIGHTS_KEY, partial, now));
            }
        }
        dirty.clear();
    }

    /** The window as the merge of its panes, or null if none of its panes is in the store any more. */
    private InsightPartial partial(WindowRef window) {
        long start = window.start();
        long end = start + spec.sizeMs(window.view());
        long lastPane = end - spec.paneMs();
        Map<String, Long> devices = new HashMap<>();
        Map<String, Long> versions = new HashMap<>();
        Map<String, Long> locales = new HashMap<>();
        long logins = 0;
        try (KeyValueIterator<Windowed<String>, Long> panes = counts.fetchAll(start, lastPane)) {
            while (panes.hasNext()) {
                KeyValue<Windowed<String>, Long> entry = panes.next();
                String key = entry.key.key();
                String name = key.substring(1);
                switch (key.substring(0, 1)) {
                    case DEVICE -> devices.merge(name, entry.value, Long::sum);
                    case VERSION -> versions.merge(name, entry.value, Long::sum);
                    case LOCALE -> {
                        locales.merge(name, entry.value, Long::sum);
                        logins += entry.value;
                    }
                    default -> {
                        // no other keys are written
                    }
                }
            }
        }
        if (logins == 0) {
            return null;
        }
        DistinctSketch sketch = DistinctSketch.create();
        try (WindowStoreIterator<byte[]> panes = sketches.fetch(SKETCH_KEY, start, lastPane)) {
            while (panes.hasNext()) {
                sketch.merge(DistinctSketch.fromBytes(panes.next().value));
            }
        }
        return new InsightPartial(window.view(), start, end, source, logins,
                InsightPartial.largest(devices, InsightPartial.MAX_PARTIAL_ENTRIES),
                InsightPartial.largest(versions, InsightPartial.MAX_PARTIAL_ENTRIES),
                InsightPartial.largest(locales, InsightPartial.MAX_PARTIAL_ENTRIES), sketch.toBytes(), 0, 0, Map.of());
    }
}
