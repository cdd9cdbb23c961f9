package dev.loginpulse.stats.streams;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.stats.streams.InsightSpec.WindowRef;

/**
 * The insights of one partition of {@code user-login-clean}: partials of logins per device type, per (device type, app
 * version) and per locale, exact, and a distinct-device sketch, per pane of one window advance (a window is the merge
 * of its panes, so a login updates one pane however many windows contain it), kept in memory and
 * written to a {@link PaneStore} once per commit: per pane and counter one entry, written when it changed, and the
 * pane's sketch when it changed. A login is kept if at least one window containing it was open when it arrived;
 * the windows open then are published at the next emission.
 */
class PaneInsightsProcessor implements Processor<String, CleanLogin, String, InsightPartial> {

    private static final char DEVICE = 'd';
    private static final char VERSION = 'v';
    private static final char LOCALE = 'l';
    private static final char SKETCH = 's';

    private final InsightSpec spec;
    private final CommitPacing pacing;
    private final long paneMs;
    private final long tumblingMs;
    private final long graceMs;
    private final long retentionMs;
    private final Map<Long, Pane> panes = new HashMap<>();
    private final List<Pane> changed = new ArrayList<>();
    private final List<Pane> toEmit = new ArrayList<>();
    private ProcessorContext<String, InsightPartial> context;
    private PaneStore store;
    private String source;
    private long watermark = Long.MIN_VALUE;

    PaneInsightsProcessor(InsightSpec spec) {
        this(spec, CommitPacing.unpaced());
    }

    PaneInsightsProcessor(InsightSpec spec, CommitPacing pacing) {
        this.pacing = pacing;
        this.spec = spec;
        this.paneMs = spec.paneMs();
        this.tumblingMs = spec.sizeMs(dev.loginpulse.events.Insight.TUMBLING);
        this.graceMs = spec.windows().graceMs();
        this.retentionMs = spec.retention().toMillis() - spec.windows().maxSourceLagMs();
    }

    @Override
    public void init(ProcessorContext<String, InsightPartial> context) {
        this.context = context;
        this.store = context.getStateStore(StatsTopology.INSIGHT_PANES_STORE);
        this.source = "clean-" + context.taskId().partition();
        panes.clear();
        changed.clear();
        toEmit.clear();
        watermark = Long.MIN_VALUE;
        store.forEach((key, value) -> {
            Pane pane = pane(Long.parseLong(key.substring(0, 19)));
            char kind = key.charAt(20);
            String name = key.substring(21);
            if (kind == SKETCH) {
                pane.sketch = DistinctSketch.fromBytes(value);
            } else {
                long count = ByteBuffer.wrap(value).getLong();
                Counter counter = switch (kind) {
                    case DEVICE -> pane.devices.computeIfAbsent(name, n -> new Counter(kind, n));
                    case LOCALE -> pane.locales.computeIfAbsent(name, n -> new Counter(kind, n));
                    default -> pane.versions.computeIfAbsent(name, n -> new Counter(kind, n));
                };
                counter.value = count;
            }
            // republished after a restart, as every window still kept
            pane.emitFrom = Long.MIN_VALUE;
            toEmit(pane);
        });
        store.beforeCommit(this::writeChanges);
        context.schedule(spec.windows().emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> emit());
    }

    @Override
    public void process(Record<String, CleanLogin> record) {
        CleanLogin login = record.value();
        String locale = StatsTopology.stateOf(record.key(), login);
        long time = record.timestamp();
        watermark = Math.max(watermark, SourceGate.watermark(record.headers()));
        long paneStart = Math.floorDiv(time, paneMs) * paneMs;
        long tumblingStart = Math.floorDiv(time, tumblingMs) * tumblingMs;
        // the latest hopping window containing the login starts with its pane; is it, or its tumbling one, open?
        if (paneStart + spec.windows().sizeMs() + graceMs <= watermark
                && tumblingStart + tumblingMs + graceMs <= watermark) {
            return; // too late for every window
        }
        Pane pane = pane(paneStart);
        String device = StatsTopology.orUnknown(login.deviceType());
        pane.devices.computeIfAbsent(device, name -> new Counter(DEVICE, name)).increment(pane);
        pane.versions.computeIfAbsent(InsightPartial.pairKey(device, StatsTopology.orUnknown(login.appVersion())),
                name -> new Counter(VERSION, name)).increment(pane);
        pane.locales.computeIfAbsent(locale, name -> new Counter(LOCALE, name)).increment(pane);
        String deviceId = login.deviceId();
        if (deviceId != null && !StatsTopology.UNKNOWN.equals(deviceId)) {
            if (pane.sketch == null) {
                pane.sketch = DistinctSketch.create();
                pane.sketchChanged = true;
            }
            if (pane.sketch.add(deviceId)) {
                pane.sketchChanged = true;
            }
        }
        if (!pane.changed) {
            pane.changed = true;
            changed.add(pane);
        }
        pane.emitFrom = Math.min(pane.emitFrom, watermark);
        toEmit(pane);
    }

    private void toEmit(Pane pane) {
        if (!pane.toEmit) {
            pane.toEmit = true;
            toEmit.add(pane);
        }
    }

    private Pane pane(long start) {
        Pane pane = panes.get(start);
        if (pane == null) {
            pane = new Pane(start);
            panes.put(start, pane);
        }
        return pane;
    }

    private void writeChanges() {
        for (Pane pane : changed) {
            pane.changed = false;
            String prefix = StatePanes.pad(pane.start) + StatePanes.SEPARATOR;
            if (pane.evicted) {
                for (Counter counter : pane.counters()) {
                    store.delete(prefix + counter.key);
                }
                if (pane.sketch != null) {
                    store.delete(prefix + SKETCH);
                }
                continue;
            }
            for (Counter counter : pane.dirty) {
                store.put(prefix + counter.key, ByteBuffer.allocate(8).putLong(counter.value).array());
                counter.dirty = false;
            }
            pane.dirty.clear();
            if (pane.sketchChanged) {
                store.put(prefix + SKETCH, pane.sketch.toBytes());
                pane.sketchChanged = false;
            }
        }
        changed.clear();
    }

    private void emit() {
        long now = context.currentSystemTimeMs();
        pacing.punctuating(now);
        Set<WindowRef> windows = new LinkedHashSet<>();
        for (Pane pane : toEmit) {
            for (WindowRef window : spec.windowsOf(pane.start)) {
                if (pane.emitFrom == Long.MIN_VALUE || spec.isOpen(window.view(), window.start(), pane.emitFrom)) {
                    windows.add(window);
                }
            }
            pane.toEmit = false;
            pane.emitFrom = Long.MAX_VALUE;
        }
        toEmit.clear();
        if (!windows.isEmpty()) {
            pacing.requestCommit(context); // the partials become visible right after the commit that makes them durable
        }
        for (WindowRef window : windows) {
            InsightPartial partial = partial(window);
            if (partial != null) {
                context.forward(new Record<>(StatsTopology.INSIGHTS_KEY, partial, now));
            }
        }
        expire();
    }

    /** The window as the merge of its panes, or null if none of its panes is kept any more. */
    private InsightPartial partial(WindowRef window) {
        long start = window.start();
        long end = start + spec.sizeMs(window.view());
        Map<String, Long> devices = new HashMap<>();
        Map<String, Long> versions = new HashMap<>();
        Map<String, Long> locales = new HashMap<>();
        long logins = 0;
        DistinctSketch sketch = DistinctSketch.create();
        for (long paneStart = start; paneStart < end; paneStart += paneMs) {
            Pane pane = panes.get(paneStart);
            if (pane == null) {
                continue;
            }
            pane.devices.forEach((name, counter) -> devices.merge(name, counter.value, Long::sum));
            pane.versions.forEach((name, counter) -> versions.merge(name, counter.value, Long::sum));
            for (Counter counter : pane.locales.values()) {
                locales.merge(counter.name, counter.value, Long::sum);
                logins += counter.value;
            }
            if (pane.sketch != null) {
                sketch.merge(pane.sketch);
            }
        }
        if (logins == 0) {
            return null;
        }
        return new InsightPartial(window.view(), start, end, source, logins,
                InsightPartial.largest(devices, InsightPartial.MAX_PARTIAL_ENTRIES),
                InsightPartial.largest(versions, InsightPartial.MAX_PARTIAL_ENTRIES),
                InsightPartial.largest(locales, InsightPartial.MAX_PARTIAL_ENTRIES), sketch.toBytes(), 0, 0, Map.of());
    }

    /** Panes older than the insights' retention (less the source lag: measured by the watermark) leave. */
    private void expire() {
        if (watermark == Long.MIN_VALUE) {
            return;
        }
        Iterator<Pane> all = panes.values().iterator();
        while (all.hasNext()) {
            Pane pane = all.next();
            if (pane.start + retentionMs <= watermark) {
                all.remove();
                pane.evicted = true;
                if (!pane.changed) {
                    pane.changed = true;
                    changed.add(pane);
                }
            }
        }
    }

    /** One counter of one pane; its store key is its kind and name. */
    private static final class Counter {
        final String name;
        final String key;
        long value;
        boolean dirty;

        Counter(char kind, String name) {
            this.name = name;
            this.key = kind + name;
        }

        void increment(Pane pane) {
            value++;
            if (!dirty) {
                dirty = true;
                pane.dirty.add(this);
            }
        }
    }

    /** One pane of one partition. */
    private static final class Pane {
        final long start;
        final Map<String, Counter> devices = new HashMap<>();
        final Map<String, Counter> versions = new HashMap<>();
        final Map<String, Counter> locales = new HashMap<>();
        final List<Counter> dirty = new ArrayList<>();
        DistinctSketch sketch;
        boolean sketchChanged;
        boolean changed;
        boolean toEmit;
        boolean evicted;
        /** The smallest watermark a login of this pane arrived with since the last emission. */
        long emitFrom = Long.MAX_VALUE;

        Pane(long start) {
            this.start = start;
        }

        List<Counter> counters() {
            List<Counter> all = new ArrayList<>(devices.values());
            all.addAll(versions.values());
            all.addAll(locales.values());
            return all;
        }
    }
}
